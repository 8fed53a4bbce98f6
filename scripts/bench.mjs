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
const env = benchEnvironment();
let failed = 0;
for (const file of chosen) {
  process.stdout.write(`# ${file.replace(/\.mjs$/, "")}\n`);
  const result = spawnSync(process.execPath, [join(root, "bench", file)], { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

/**
 * NODE_EXTRA_CA_CERTS makes every node process read and parse that file of
 * certificates before any of its code runs; on a machine that sets it for its
 * own tools, that is most of `node -e 0`. Neither the controller image nor a
 * machine without it pays that, and the Go baselines never do, so the benches
 * run without it (BENCH_KEEP_ENV=1 keeps it) and say what it costs.
 */
function benchEnvironment() {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file || process.env.BENCH_KEEP_ENV) return process.env;
  const { NODE_EXTRA_CA_CERTS: _dropped, ...without } = process.env;
  const bootMs = (env) => {
    const result = spawnSync(process.execPath, ["-e", "process.stdout.write(String(performance.now()))"], { env, encoding: "utf8" });
    return Number(result.stdout);
  };
  const withIt = [];
  const withoutIt = [];
  for (let i = 0; i < 7; i++) {
    withIt.push(bootMs(process.env));
    withoutIt.push(bootMs(without));
  }
  const median = (values) => values.sort((a, b) => a - b)[values.length >> 1].toFixed(0);
  process.stdout.write(
    `this machine sets NODE_EXTRA_CA_CERTS=${file}: node reaches its first line of code ${median(withIt)} ms after its start with it, ` +
      `${median(withoutIt)} ms without (medians of 7); every bench below runs without it (BENCH_KEEP_ENV=1 keeps it)\n`,
  );
  return without;
}
