#!/usr/bin/env node
// The controller's health check runs every second in every pod, so its cost
// is CPU time per check × 60 checks a minute. Measured: podlike-healthcheck
// (the C program the controller image runs) against the baseline
// `podlike healthcheck` (node, what the image ran before), both reading the
// same state file, one after another in this process. CPU time is the
// children's user + system time from /proc/self/stat (clock ticks), so it
// counts the check process only, not the engine's exec around it.
// Goal: ≤ 0.1 s of CPU per pod per minute.   npm run bench -- healthcheck
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, requireBuild, root } from "./support/common.mjs";

requireBuild();
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
const dir = mkdtempSync(join(tmpdir(), "podlike-bench-hc-"));
try {
  const program = join(dir, "podlike-healthcheck");
  execFileSync("gcc", ["-static", "-Os", "-s", "-o", program, join(root, "src/controller/healthcheck/healthcheck.c")]);
  const stat = readFileSync(`/proc/${process.pid}/stat`, "utf8");
  const pidStart = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  const state = join(dir, "health.json");
  const components = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`component-${i}`, "healthy"]));
  writeFileSync(state, JSON.stringify({ status: "healthy", components, updated: new Date().toISOString(), pid: process.pid, pidStart }));
  const env = { ...process.env, PODLIKE_STATE_FILE: state };

  /** Children's CPU seconds so far (cutime + cstime). */
  const childCpu = () => {
    const fields = readFileSync(`/proc/${process.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
  };
  const measure = (command, args, runs) => {
    const before = childCpu();
    const started = performance.now();
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(command, args, { env, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} said: ${r.stdout}${r.stderr}`);
    }
    return { cpu: (childCpu() - before) / runs, wall: (performance.now() - started) / 1000 / runs };
  };
  const c = measure(program, [], RUNS);
  const node = measure(process.execPath, [bin, "healthcheck"], Math.max(10, Math.round(RUNS / 10)));
  const ms = (s) => `${(s * 1000).toFixed(2)} ms`;
  const perMinute = (s) => `${(s * 60).toFixed(3)} s`;
  console.log(`check                       CPU/check  wall/check  CPU per pod per minute (60 checks)`);
  console.log(`podlike-healthcheck (C)     ${ms(c.cpu).padStart(9)}  ${ms(c.wall).padStart(10)}  ${perMinute(c.cpu)}`);
  console.log(`podlike healthcheck (node)  ${ms(node.cpu).padStart(9)}  ${ms(node.wall).padStart(10)}  ${perMinute(node.cpu)}`);
  console.log(`ratio C / node: CPU ${(c.cpu / node.cpu).toFixed(3)}, wall ${(c.wall / node.wall).toFixed(3)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
