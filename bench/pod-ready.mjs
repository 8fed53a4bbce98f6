#!/usr/bin/env node
// How late Swarm calls a pod Running: from the controller saying "pod running"
// (every component up; these have no health checks of their own, so the pod
// is healthy then) to the task's Running timestamp, both from the engine's
// clock. Measured for the health check convert writes, against the baseline
// of the check it wrote before (`podlike healthcheck` every 10 s), one
// single-replica service each, one after another, on this machine's Swarm.
// Goal: ≤ 2 s.   npm run bench -- pod-ready   (BENCH_RUNS=5 for more runs)
import { execFileSync, spawnSync } from "node:child_process";
import { docker, BUSYBOX, CONTROLLER } from "./support/engine.mjs";
import { median, requireBuild, root } from "./support/common.mjs";

requireBuild();
const { CONTROLLER_HEALTHCHECK } = await import("../dist/stack/controller-service.js");
const { parseDuration } = await import("../dist/compose/normalize.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const prefix = `podliketest-bench-ready-${process.pid.toString(36)}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** RFC 3339 with nanoseconds → ms since the epoch. */
const engineTime = (text) => Date.parse(text.replace(/(\.\d{3})\d*/, "$1"));

const toSpec = (check) => ({
  Test: check.test,
  Interval: parseDuration(check.interval) * 1e6,
  Timeout: parseDuration(check.timeout) * 1e6,
  Retries: check.retries,
  StartPeriod: 30e9,
});
const CHECKS = {
  now: toSpec(CONTROLLER_HEALTHCHECK),
  before: toSpec({ test: ["CMD", "podlike", "healthcheck"], interval: "10s", timeout: "5s", retries: 3 }),
};

async function waitFor(what, probe, timeoutMs = 90_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function podReady(variant, run) {
  const name = `${prefix}-${variant}-${run}`;
  const service = await docker.createService({
    Name: name,
    Labels: { "podliketest.bench": prefix },
    TaskTemplate: {
      ContainerSpec: {
        Image: CONTROLLER,
        Init: true,
        Labels: { "pod.component.app": `image: ${BUSYBOX}\ncommand: sleep 3600\ninit: true\n` },
        Mounts: [{ Type: "bind", Source: "/var/run/docker.sock", Target: "/var/run/docker.sock" }],
        Healthcheck: CHECKS[variant],
      },
      RestartPolicy: { Condition: "none" },
    },
    Mode: { Replicated: { Replicas: 1 } },
  });
  let controllerId;
  try {
    const task = await waitFor("the task Running", async () => {
      const [t] = await docker.listTasks({ filters: { service: [name] } });
      return t?.Status?.State === "running" ? t : undefined;
    });
    controllerId = task.Status.ContainerStatus.ContainerID;
    // the controller speaks on stderr
    const logs = spawnSync("docker", ["logs", "--timestamps", controllerId], { encoding: "utf8" }).stderr;
    const running = logs.split("\n").find((l) => /podlike: pod running/.test(l));
    if (!running) throw new Error(`no "pod running" line from ${name}`);
    return (engineTime(task.Status.Timestamp) - engineTime(running.split(" ")[0])) / 1000;
  } finally {
    await docker.getService(service.id).remove().catch(() => {});
    if (controllerId) {
      const mark = `podlike.controller=${controllerId}`;
      await waitFor("the pod removed", async () => (await docker.listContainers({ all: true, filters: { label: [mark] } })).length === 0, 30_000).catch(async () => {
        const left = await docker.listContainers({ all: true, filters: { label: [mark] } });
        await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => {})));
      });
    }
  }
}

execFileSync("bash", ["scripts/build-local-image.sh"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
const results = { now: [], before: [] };
for (let run = 1; run <= RUNS; run++) {
  for (const variant of ["now", "before"]) results[variant].push(await podReady(variant, run));
}
const show = (values) => `median ${median(values).toFixed(2)} s (${values.map((v) => v.toFixed(2)).join(", ")})`;
console.log(`pod running → task Running, ${RUNS} runs`);
console.log(`health check now (${CONTROLLER_HEALTHCHECK.test.slice(1).join(" ")} every ${CONTROLLER_HEALTHCHECK.interval}): ${show(results.now)}`);
console.log(`before (podlike healthcheck every 10s): ${show(results.before)}`);
console.log(`ratio: ${(median(results.now) / median(results.before)).toFixed(2)}`);
