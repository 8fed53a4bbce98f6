#!/usr/bin/env node
// Deploy speed, on the built CLI (npm run build first) and the test Swarm
// (npm run engine:up): median wall time of `bin/podlike deploy --detach` of a
// 50-service stack (no pods, busybox sleeping), and of a no-op redeploy of
// the same file, each as a ratio to `docker stack deploy --detach=true` of the
// same file, and the CPU time (user plus system) of each. Goal: wall-time
// ratios of 1.0 or less. Prints figures only; it never fails
// on timing. Every stack it makes is named podliketest-bench-* and removed.
// BENCH_BASELINE_CHECKOUT=/path/to/an/older/checkout (built) also times that
// checkout's bin/podlike in the same rounds, for before/after figures.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadavg, tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { baselineCheckout, bin, median, requireBuild, timedRun } from "./support/common.mjs";

// The Debian client of the 20.10 engine has no --detach for stack deploy; the newer one does.
const DOCKER_CLI = process.env.DOCKER_STACK_DEPLOY_CLI ?? "/usr/local/bin/docker";
const DOCKER = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SERVICES = 50;

requireBuild();
const baseline = baselineCheckout();
const swarm = spawnSync(DOCKER, ["info", "--format", "{{.Swarm.ControlAvailable}}"], { encoding: "utf8" });
if (swarm.status !== 0 || swarm.stdout.trim() !== "true") {
  process.stderr.write("no Swarm manager reachable: run npm run engine:up first\n");
  process.exit(1);
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function generate() {
  let text = 'version: "3.9"\nservices:\n';
  for (let i = 0; i < SERVICES; i++) {
    text += `  svc-${i}:
    image: podlike-test/busybox:latest
    command: ["sleep", "86400"]
    init: true
    environment: {INDEX: "${i}"}
    labels: {bench.index: "${i}"}
    deploy:
      replicas: 1
      restart_policy: {condition: on-failure}
`;
  }
  return text;
}

const LABEL = "com.docker.stack.namespace";

/** Removes a bench stack and waits until its services and network are gone. */
async function removeStack(stack) {
  const list = (kind) => run(DOCKER, [kind, "ls", "-q", "--filter", `label=${LABEL}=${stack}`]).split("\n").filter(Boolean);
  const services = list("service");
  if (services.length) run(DOCKER, ["service", "rm", ...services]);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const tasks = run(DOCKER, ["ps", "-aq", "--filter", `label=${LABEL}=${stack}`]).trim();
    if (!tasks) break;
    await sleep(500);
  }
  while (Date.now() < deadline) {
    const networks = list("network");
    if (!networks.length) break;
    spawnSync(DOCKER, ["network", "rm", ...networks], { encoding: "utf8" });
    await sleep(300);
  }
}

/** Waits (bounded) until every service of the stack runs its task. */
async function waitRunning(stack) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const replicas = run(DOCKER, ["service", "ls", "--filter", `label=${LABEL}=${stack}`, "--format", "{{.Replicas}}"]).split("\n").filter(Boolean);
    if (replicas.length === SERVICES && replicas.every((r) => r === "1/1")) break;
    await sleep(500);
  }
  await sleep(1000);
}

const loadAtStart = loadavg()[0];
const dir = mkdtempSync(join(tmpdir(), "podliketest-bench-deploy-"));
writeFileSync(join(dir, "stack.yml"), generate());
const tools = {
  podlike: (stack) => [process.execPath, [bin, "deploy", "-c", "stack.yml", "--detach", stack]],
  docker: (stack) => [DOCKER_CLI, ["stack", "deploy", "--detach=true", "--resolve-image", "never", "-c", "stack.yml", stack]],
};
if (baseline) tools.baseline = (stack) => [process.execPath, [baseline.bin, "deploy", "-c", "stack.yml", "--detach", stack]];
const names = Object.keys(tools);
const times = Object.fromEntries(names.map((tool) => [tool, { fresh: [], noop: [] }]));
const cpu = Object.fromEntries(names.map((tool) => [tool, { fresh: [], noop: [] }]));
const stacks = [];
try {
  for (let r = 0; r < RUNS; r++) {
    // each round starts with another tool, so a trend in the machine's load does not favour one
    for (const tool of names.map((_, i) => names[(i + r) % names.length])) {
      const stack = `podliketest-bench-${tool}-${process.pid}-${r}`;
      stacks.push(stack);
      const [command, args] = tools[tool](stack);
      const fresh = timedRun(command, args, { cwd: dir });
      times[tool].fresh.push(fresh.seconds);
      cpu[tool].fresh.push(fresh.cpu);
      // A redeploy meets a running stack: the orchestrator has finished with every service.
      await waitRunning(stack);
      const noop = timedRun(command, args, { cwd: dir });
      times[tool].noop.push(noop.seconds);
      cpu[tool].noop.push(noop.cpu);
      await removeStack(stack);
    }
  }
} finally {
  for (const stack of stacks) await removeStack(stack).catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}

const fmt = (s) => `${s.toFixed(3)} s`;
const report = (what, of = times) => {
  const p = median(of.podlike[what]);
  const d = median(of.docker[what]);
  return { p, d, ratio: p / d };
};
const lines = [`deploy of ${SERVICES} services (--detach), medians of ${RUNS} runs, load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end`];
for (const [what, label] of [["fresh", "fresh deploy"], ["noop", "no-op deploy"]]) {
  const wall = report(what);
  const used = report(what, cpu);
  lines.push(
    `  ${label}  podlike ${fmt(wall.p)}  docker stack deploy ${fmt(wall.d)}  ratio ${wall.ratio.toFixed(2)};` +
      `  CPU podlike ${fmt(used.p)}  docker ${fmt(used.d)}  ratio ${used.ratio.toFixed(2)}`,
  );
}
if (baseline) {
  for (const what of ["fresh", "noop"]) {
    const b = median(times.baseline[what]);
    const p = median(times.podlike[what]);
    const bc = median(cpu.baseline[what]);
    const pc = median(cpu.podlike[what]);
    lines.push(
      `  ${what === "fresh" ? "fresh" : "no-op"} deploy  podlike ${fmt(p)}  baseline checkout ${fmt(b)}  ratio ${(p / b).toFixed(2)};` +
        `  CPU podlike ${fmt(pc)}  baseline ${fmt(bc)}  ratio ${(pc / bc).toFixed(2)} (${baseline.dir})`,
    );
  }
}
const list = (values) => values.map((t) => t.toFixed(3)).join(" ");
for (const tool of names) {
  lines.push(`  runs ${tool}: fresh ${list(times[tool].fresh)}; no-op ${list(times[tool].noop)}; CPU fresh ${list(cpu[tool].fresh)}; CPU no-op ${list(cpu[tool].noop)}`);
}
process.stdout.write(lines.join("\n") + "\n");
