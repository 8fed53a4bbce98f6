#!/usr/bin/env node
// Runs every test file with Node's own runner. Node 20 does not expand globs,
// so the files are listed here. --unit / --e2e pick one half.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const onlyUnit = process.argv.includes("--unit");
const onlyE2e = process.argv.includes("--e2e");
const extra = process.argv.slice(2).filter((a) => !a.startsWith("--"));

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (name.endsWith(".test.ts")) out.push(full);
  }
  return out;
}

let files = walk(join(root, "test")).map((f) => relative(root, f));
if (onlyUnit) files = files.filter((f) => !f.startsWith("test/e2e/"));
if (onlyE2e) files = files.filter((f) => f.startsWith("test/e2e/"));
if (extra.length) files = files.filter((f) => extra.some((e) => f.includes(e)));

const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--import", "./test/support/property-seed.ts", "--test", "--test-reporter=spec", ...files],
  { cwd: root, stdio: "inherit", env: process.env },
);
process.exit(result.status ?? 1);
