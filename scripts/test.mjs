#!/usr/bin/env node
// Runs every test file with Node's own runner. Node 20 does not expand globs,
// so the files are listed here. --unit / --e2e pick one half; test/cluster/ needs the
// multi-node lab (scripts/lab) and runs only with --cluster (npm run test:cluster).
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const onlyUnit = process.argv.includes("--unit");
const onlyE2e = process.argv.includes("--e2e");
const onlyCluster = process.argv.includes("--cluster");
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
files = files.filter((f) => f.startsWith("test/cluster/") === onlyCluster);
if (onlyUnit) files = files.filter((f) => !f.startsWith("test/e2e/"));
if (onlyE2e) files = files.filter((f) => f.startsWith("test/e2e/"));
if (extra.length) files = files.filter((f) => extra.some((e) => f.includes(e)));

const result = spawnSync(
  process.execPath,
  // the cluster tests inject faults into one shared lab: one file at a time
  ["--import", "tsx", "--import", "./test/support/property-seed.ts", "--test", "--test-reporter=spec", ...(onlyCluster ? ["--test-concurrency=1"] : []), ...files],
  { cwd: root, stdio: "inherit", env: process.env },
);
process.exit(result.status ?? 1);
