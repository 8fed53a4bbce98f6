#!/usr/bin/env node
// Runs the benchmarks in bench/ one after another: `npm run bench`, or only
// the named ones: `npm run bench -- lint`. Each prints its own figures.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const wanted = process.argv.slice(2);
const all = readdirSync(join(root, "bench")).filter((f) => f.endsWith(".mjs")).sort();
const chosen = wanted.length ? all.filter((f) => wanted.includes(f.replace(/\.mjs$/, ""))) : all;
const unknown = wanted.filter((w) => !all.includes(`${w}.mjs`));
if (unknown.length) {
  process.stderr.write(`no benchmark named ${unknown.join(", ")}; there are: ${all.map((f) => f.replace(/\.mjs$/, "")).join(", ")}\n`);
  process.exit(2);
}
let failed = 0;
for (const file of chosen) {
  process.stdout.write(`# ${file.replace(/\.mjs$/, "")}\n`);
  const result = spawnSync(process.execPath, [join(root, "bench", file)], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
