#!/usr/bin/env node
// Convert throughput, on the built CLI (npm run build first): median wall time
// of `bin/podlike convert` on a generated file of 1000 services, 800 of them
// in 200 pods, and its ratio to `docker stack config` (the Docker CLI's own
// parse, interpolate and normalise of a stack file) on the plain-Compose
// equivalent: the same file without x-pods. Goal: a ratio of 1.0 or less.
// Prints figures only; it never fails on timing.
// BENCH_BASELINE_CHECKOUT=/path/to/an/older/checkout (built) also times that
// checkout's bin/podlike in the same rounds, for before/after figures.
// Each run's CPU time (user plus system) is measured too.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadavg, tmpdir } from "node:os";
import { baselineCheckout, bin, median, requireBuild, root, timedRun, writeLargeProject } from "./support/common.mjs";

const STACK_CONFIG_CLI = process.env.DOCKER_STACK_CONFIG_CLI ?? "/usr/local/bin/docker";
requireBuild();
const baseline = baselineCheckout();

/** One timed run in the generated project's folder. */
const wall = (command, args) => timedRun(command, args, { cwd: dir });

const ms = (seconds) => `${(seconds * 1000).toFixed(0)} ms`;

/** Where the time goes, in one process: median of each phase. */
async function phases(dir, runs) {
  const { loadProject } = await import(join(root, "dist", "compose", "load.js"));
  const { lintModel } = await import(join(root, "dist", "lint", "rules.js"));
  const { emitStack } = await import(join(root, "dist", "stack", "emit.js"));
  const { writeStack } = await import(join(root, "dist", "stack", "write.js"));
  const times = { load: [], lint: [], emit: [], write: [] };
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    const loaded = await loadProject({ files: ["compose.yml"], cwd: dir, env: {} });
    times.load.push(performance.now() - t);
    t = performance.now();
    lintModel(loaded.value);
    times.lint.push(performance.now() - t);
    t = performance.now();
    const emitted = emitStack(loaded.value);
    times.emit.push(performance.now() - t);
    t = performance.now();
    writeStack(emitted.value);
    times.write.push(performance.now() - t);
  }
  const parts = Object.entries(times).map(([phase, list]) => `${phase} ${median(list).toFixed(0)} ms`);
  console.log(`phases in one process (median): ${parts.join(", ")}`);
}

console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(" ")} (wall times grow with other work on the machine)`);
if (!existsSync(STACK_CONFIG_CLI)) {
  console.log(`${STACK_CONFIG_CLI} is missing: no docker stack config to compare with`);
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), "podlike-bench-convert-"));
try {
  const { withPods } = writeLargeProject(dir);
  const runs = Number(process.env.BENCH_RUNS ?? 11);
  const baselineBin = baseline?.bin;
  const first = wall(process.execPath, [bin, "convert", "compose.yml"]);
  console.log(`input: 1000 services, 200 pods (800 members), ${(withPods.length / 1024).toFixed(0)} KiB; output ${(first.stdout.length / 1024).toFixed(0)} KiB`);

  // one unmeasured run of each warms the page cache
  wall(STACK_CONFIG_CLI, ["stack", "config", "-c", "plain.yml"]);
  if (baselineBin) wall(process.execPath, [baselineBin, "convert", "compose.yml"]);
  const times = { convert: [], stackConfig: [], baseline: [], node: [] };
  for (let i = 0; i < runs; i++) {
    times.convert.push(wall(process.execPath, [bin, "convert", "compose.yml"]));
    times.stackConfig.push(wall(STACK_CONFIG_CLI, ["stack", "config", "-c", "plain.yml"]));
    if (baselineBin) times.baseline.push(wall(process.execPath, [baselineBin, "convert", "compose.yml"]));
    times.node.push(wall(process.execPath, ["-e", "0"]));
  }
  const w = (list) => median(list.map((r) => r.seconds));
  const c = (list) => median(list.map((r) => r.cpu));
  const both = (list) => `${ms(w(list))}, CPU ${ms(c(list))}`;
  console.log(`NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? "set" : "unset"} (medians of ${runs} rounds; load average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")})`);
  console.log(`  podlike convert:          ${both(times.convert)}`);
  console.log(`  docker stack config:      ${both(times.stackConfig)} (same file without x-pods)`);
  console.log(`  node -e 0:                ${both(times.node)}`);
  console.log(`  ratio convert/stack config: ${(w(times.convert) / w(times.stackConfig)).toFixed(2)}, CPU ${(c(times.convert) / c(times.stackConfig)).toFixed(2)} (goal: 1.0 or less)`);
  if (baselineBin) {
    const b = w(times.baseline);
    console.log(`  baseline checkout convert: ${both(times.baseline)} (${baseline.dir}); this checkout/baseline ${(w(times.convert) / b).toFixed(2)}, CPU ${(c(times.convert) / c(times.baseline)).toFixed(2)}`);
  }
  await phases(dir, runs);
} finally {
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true }); else console.log(dir);
}
