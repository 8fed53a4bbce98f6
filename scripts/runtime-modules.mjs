#!/usr/bin/env node
// Prints the folders under node_modules that the controller image needs: the
// packages the bundle still loads at run time (ajv, whose runtime the
// compiled schema requires) with their dependencies, resolved as Node
// resolves them. The rest of the production tree is bundled already.
//
// usage: node scripts/runtime-modules.mjs NODE_MODULES_DIR
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const RUNTIME_ROOTS = ["ajv"];

const modulesDir = process.argv[2];
if (!modulesDir || !existsSync(modulesDir)) {
  console.error("usage: runtime-modules.mjs NODE_MODULES_DIR");
  process.exit(2);
}

/** The folder Node would load `name` from when required inside `fromDir`. */
function resolvePackage(name, fromDir) {
  for (let dir = fromDir; dir.startsWith(modulesDir); dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === modulesDir) break;
  }
  const top = join(modulesDir, name);
  return existsSync(join(top, "package.json")) ? top : undefined;
}

const needed = new Set();
function visit(packageDir) {
  if (needed.has(packageDir)) return;
  needed.add(packageDir);
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
  const names = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})];
  for (const name of names) {
    const found = resolvePackage(name, packageDir);
    if (found) visit(found);
  }
}

for (const root of RUNTIME_ROOTS) {
  const found = resolvePackage(root, modulesDir);
  if (!found) {
    console.error(`runtime-modules: ${root} is not installed under ${modulesDir}`);
    process.exit(1);
  }
  visit(found);
}

// a package nested inside another one that is kept travels with it
const kept = [...needed].filter((dir) => ![...needed].some((other) => other !== dir && dir.startsWith(`${other}/`)));
for (const dir of kept.sort()) console.log(relative(modulesDir, dir));
