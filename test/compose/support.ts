import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after } from "node:test";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { loadProject } from "../../src/compose/load.js";
import type { LoadOptions } from "../../src/compose/model.js";

const folders: string[] = [];
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A fresh folder holding `files` (name → text); removed when the test file ends. */
export function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "podlike-compose-"));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/**
 * Loads `yaml` as compose.yaml (plus `extraFiles` beside it). `files` names
 * what is passed with -f (default: compose.yaml only).
 */
export async function load(
  yaml: string,
  extraFiles: Record<string, string> = {},
  options: Partial<LoadOptions> & { fileNames?: string[] } = {},
) {
  const dir = folderWith({ "compose.yaml": yaml, ...extraFiles });
  const { fileNames, ...rest } = options;
  const result = await loadProject({ files: fileNames ?? ["compose.yaml"], cwd: dir, env: {}, ...rest });
  return { ...result, dir, raw: result.value?.raw as Record<string, any> | undefined };
}

export const codes = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => d.code);
