#!/usr/bin/env node
// Convert throughput, on the built CLI (npm run build first): median wall time
// of `bin/podlike convert` on a generated file of 1000 services, 800 of them
// in 200 pods, and its ratio to `docker stack config` (the Docker CLI's own
// parse, interpolate and normalise of a stack file) on the plain-Compose
// equivalent: the same file without x-pods. Goal: a ratio of 1.0 or less.
// Prints figures only; it never fails on timing.
// BENCH_BASELINE_CHECKOUT=/path/to/an/older/checkout (built) also times that
// checkout's bin/podlike in the same rounds, for before/after figures.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadavg, tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { bin, median, requireBuild, root, writeLargeProject } from "./support/common.mjs";

const STACK_CONFIG_CLI = process.env.DOCKER_STACK_CONFIG_CLI ?? "/usr/local/bin/docker";
const BASELINE = process.env.BENCH_BASELINE_CHECKOUT;
requireBuild();
if (BASELINE && !existsSync(join(BASELINE, "bin", "podlike"))) {
  process.stderr.write(`BENCH_BASELINE_CHECKOUT=${BASELINE} has no bin/podlike\n`);
  process.exit(2);
}

function wall(command, args, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  return { seconds, stdout: result.stdout };
}

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
  const convert = [];
  const stackConfig = [];
  const baseline = [];
  const baselineBin = BASELINE && join(BASELINE, "bin", "podlike");
  const first = wall(process.execPath, [bin, "convert", "compose.yml"], dir);
  wall(STACK_CONFIG_CLI, ["stack", "config", "-c", "plain.yml"], dir);
  if (baselineBin) wall(process.execPath, [baselineBin, "convert", "compose.yml"], dir);
  for (let i = 0; i < runs; i++) {
    convert.push(wall(process.execPath, [bin, "convert", "compose.yml"], dir).seconds);
    stackConfig.push(wall(STACK_CONFIG_CLI, ["stack", "config", "-c", "plain.yml"], dir).seconds);
    if (baselineBin) baseline.push(wall(process.execPath, [baselineBin, "convert", "compose.yml"], dir).seconds);
  }
  const c = median(convert);
  const d = median(stackConfig);
  console.log(`input: 1000 services, 200 pods (800 members), ${(withPods.length / 1024).toFixed(0)} KiB; output ${(first.stdout.length / 1024).toFixed(0)} KiB`);
  console.log(`podlike convert:          median ${(c * 1000).toFixed(0)} ms over ${runs} runs`);
  console.log(`docker stack config:      median ${(d * 1000).toFixed(0)} ms over ${runs} runs (same file without x-pods)`);
  console.log(`ratio convert/stack config: ${(c / d).toFixed(2)} (goal: 1.0 or less)`);
  if (baselineBin) {
    const b = median(baseline);
    console.log(`baseline checkout convert: median ${(b * 1000).toFixed(0)} ms over ${runs} runs (${BASELINE}); this checkout/baseline ${(c / b).toFixed(2)}, baseline/stack config ${(b / d).toFixed(2)}`);
  }
  await phases(dir, runs);
} finally {
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true }); else console.log(dir);
}
