#!/usr/bin/env node
// Lint start-up and throughput, on the built CLI (npm run build first):
//  1. median wall time of `bin/podlike lint` on a small file, as a ratio to
//     `node -e 0` on the same machine (goal: 1.5 or less);
//  2. lint of a generated file with 1000 services, 800 of them in 200 pods
//     (goal: under 1 s);
//  3. lint of hostile and very large files: 10,000 aliases (goal: under 1 s),
//     an alias bomb of long strings (a clean ALIAS_LIMIT), 20 KB of broken YAML
//     (at most 101 lines of findings), 5 MB of services (goal: 2 s, 200 MB).
// Prints figures only; it never fails on timing.
// BENCH_BASELINE_CHECKOUT=/path/to/an/older/checkout (built) also times that
// checkout's bin/podlike in the start-up rounds, for before/after figures.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadavg, tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { baselineCheckout, bin, median, requireBuild, root, writeLargeProject } from "./support/common.mjs";
import { brokenYaml, largeFile, manyAliases, stringBomb } from "./support/hostile.mjs";

requireBuild();
const baseline = baselineCheckout();

function wall(args, env = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env }, maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(" ")} (wall times grow with other work on the machine)`);
const runs = Number(process.env.BENCH_RUNS ?? 21);
const small = join(root, "fixtures", "lint", "pod-example", "compose.yml");
const node = [];
const lint = [];
const baselineTimes = [];
const baselineBin = baseline?.bin;
/** One timed lint of the small file by `podlike`, which must pass. */
function lintSmall(podlike) {
  const run = wall([podlike, "lint", small]);
  if (run.status !== 0) throw new Error(`${podlike} lint exited ${run.status} on ${small}:\n${run.stdout}`);
  return run.seconds;
}
wall(["-e", "0"]);
lintSmall(bin);
if (baselineBin) lintSmall(baselineBin);
for (let i = 0; i < runs; i++) {
  node.push(wall(["-e", "0"]).seconds);
  lint.push(lintSmall(bin));
  if (baselineBin) baselineTimes.push(lintSmall(baselineBin));
}
const ratio = median(lint) / median(node);
console.log(`start-up, small file (median of ${runs}): podlike lint ${median(lint).toFixed(3)} s, node -e 0 ${median(node).toFixed(3)} s, ratio ${ratio.toFixed(2)} (goal <= 1.5)`);
// the fastest runs are the least disturbed by other work on a busy machine
const min = (values) => Math.min(...values);
console.log(`  fastest runs: podlike lint ${min(lint).toFixed(3)} s, node -e 0 ${min(node).toFixed(3)} s, ratio ${(min(lint) / min(node)).toFixed(2)}`);
if (baselineBin) {
  console.log(
    `  ${baseline.dir} in the same rounds: ${median(baselineTimes).toFixed(3)} s, ratio ${(median(baselineTimes) / median(node)).toFixed(2)}; fastest ${min(baselineTimes).toFixed(3)} s, ratio ${(min(baselineTimes) / min(node)).toFixed(2)}`,
  );
}

const dir = mkdtempSync(join(tmpdir(), "podlike-bench-"));
try {
  writeLargeProject(dir);
  const large = join(dir, "compose.yml");
  const times = [];
  let output = "";
  for (let i = 0; i < 5; i++) {
    const run = wall([bin, "lint", "--format", "json", large]);
    if (run.status !== 0) throw new Error(`podlike lint exited ${run.status} on the generated file:\n${run.stdout.slice(0, 2000)}`);
    times.push(run.seconds);
    output = run.stdout;
  }
  const findings = JSON.parse(output);
  console.log(
    `1000 services / 200 pods (median of 5): ${median(times).toFixed(3)} s (goal < 1 s), fastest ${min(times).toFixed(3)} s, ${findings.length} findings, ${findings.filter((f) => f.severity === "error").length} errors`,
  );

  // where the time goes, in this process (modules already warm after the first round)
  const { loadProject } = await import("../dist/compose/load.js");
  const { validateSchema } = await import("../dist/compose/validate.js");
  const { runRules } = await import("../dist/lint/rules.js");
  const { readPods } = await import("../dist/pod/group.js");
  const phases = { load: [], schema: [], rules: [] };
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    const { value } = await loadProject({ files: [large], cwd: dir, env: {} });
    phases.load.push(performance.now() - t);
    t = performance.now();
    validateSchema(value);
    phases.schema.push(performance.now() - t);
    t = performance.now();
    runRules({ model: value, pods: readPods(value.raw) });
    phases.rules.push(performance.now() - t);
  }
  console.log(
    `  in-process medians: load (parse, interpolate, merge) ${median(phases.load).toFixed(0)} ms, schema ${median(phases.schema).toFixed(0)} ms, pod rules ${median(phases.rules).toFixed(0)} ms`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// 3. hostile and very large files: one run each, with the peak memory, and
// the small file's median from part 1 as the yardstick of this machine's load
console.log(`hostile and large files, one run each (small-file lint in this run: ${median(lint).toFixed(3)} s):`);
const hostileDir = mkdtempSync(join(tmpdir(), "podlike-bench-hostile-"));
try {
  const large = largeFile();
  const cases = [
    ["10,000 aliases", manyAliases(), "goal < 1 s"],
    ["alias bomb of long strings, 1 MB", stringBomb(), "goal: ALIAS_LIMIT, no heap exhaustion"],
    ["broken YAML, 20 KB", brokenYaml(), "goal: at most 100 findings and a summary"],
    [`${large.count} services, ${(large.text.length / 1e6).toFixed(1)} MB`, large.text, "goal < 2 s, < 200 MB"],
  ];
  const rssFile = join(hostileDir, "rss");
  for (const [name, text, goal] of cases) {
    const file = join(hostileDir, "compose.yml");
    writeFileSync(file, text);
    const run = wall(["-r", join(root, "bench", "support", "max-rss.cjs"), bin, "lint", file], { PODLIKE_BENCH_RSS_FILE: rssFile });
    const rss = Number(readFileSync(rssFile, "utf8")) / 1024;
    const lines = run.stdout.split("\n").filter((l) => /: (error|warning): /.test(l));
    const codes = [...new Set(lines.map((l) => /\[([A-Z_]+)\]$/.exec(l)?.[1]).filter(Boolean))];
    console.log(`  ${name}: ${run.seconds.toFixed(2)} s, peak ${rss.toFixed(0)} MB, exit ${run.status}, ${lines.length} findings ${codes.join(" ")} (${goal})`);
  }
} finally {
  rmSync(hostileDir, { recursive: true, force: true });
}
