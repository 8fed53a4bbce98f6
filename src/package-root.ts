import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/**
 * The folder holding podlike's package.json. Found by walking up from this
 * module, so the same code works from src/ (tests), dist/ (compiled) and
 * dist/bundle/ (the bundled CLI), which sit at different depths.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("podlike's package.json not found above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
  root = dir;
  return root;
}

/** A file shipped with the package (package.json, schemas/...). */
export function packageFile(relative: string): string {
  return join(packageRoot(), relative);
}
