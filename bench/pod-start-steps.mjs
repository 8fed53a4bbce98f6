#!/usr/bin/env node
// Where a pod start's time goes: the steps of the start that bench/controller.mjs
// times as a whole (3 busybox components), each as ms after the request that
// creates the controller container. Engine steps (create, start) come from the
// engine's events and their timestamps; the controller's own steps from its
// PODLIKE_TRACE_START lines, on the same clock. Medians over the runs; no goal,
// this only says where to look.
//   npm run bench -- pod-start-steps          (BENCH_RUNS=7 for more runs;
//   BENCH_CONTROLLER_FLAGS="--no-pids --no-ipc" for the pod without a sandbox)
import { execFileSync, spawnSync } from "node:child_process";
import { docker, SOCKET, BUSYBOX, CONTROLLER } from "./support/engine.mjs";
import { median, root } from "./support/common.mjs";
import { watchContainerEvents } from "./support/container-events.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const prefix = `podliketest-bench-steps-${process.pid.toString(36)}`;
const TRACE = "podlike: trace ";
const COMPONENTS = ["a", "b", "c"];
// e.g. BENCH_CONTROLLER_FLAGS="--no-pids --no-ipc": the pod without a sandbox
const CONTROLLER_FLAGS = (process.env.BENCH_CONTROLLER_FLAGS ?? "").split(" ").filter(Boolean);
// the controller, its sandbox unless nothing but the network is shared, and the components
const STARTS = 1 + (CONTROLLER_FLAGS.includes("--no-pids") && CONTROLLER_FLAGS.includes("--no-ipc") ? 0 : 1) + COMPONENTS.length;
const componentYaml = `image: ${BUSYBOX}\ncommand: sleep 3600\ninit: true\n`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const { events, close: closeEvents } = await watchContainerEvents(docker, ["create", "start"]);

/** The pod's steps as [ms after t0, what]. */
async function onePod(run) {
  const name = `${prefix}-${run}`;
  const labels = Object.fromEntries(COMPONENTS.map((c) => [`pod.component.${c}`, componentYaml]));
  const body = JSON.stringify({ Image: CONTROLLER, Cmd: CONTROLLER_FLAGS, Env: ["PODLIKE_TRACE_START=1"], Labels: labels, HostConfig: { Binds: [`${SOCKET}:${SOCKET}`] } });
  const api = `curl -sf --unix-socket ${SOCKET} -X POST -H 'Content-Type: application/json'`;
  const t0 = Date.now();
  const id = execFileSync("bash", ["-c", `set -e; id=$(${api} --data "$BODY" "http://localhost/v1.41/containers/create?name=${name}" | sed 's/.*"Id":"\\([0-9a-f]*\\)".*/\\1/'); ${api} "http://localhost/v1.41/containers/$id/start"; echo "$id"`], {
    env: { ...process.env, BODY: body },
    encoding: "utf8",
  }).trim();
  try {
    const deadline = Date.now() + 60_000;
    const ours = () => events.filter((e) => e.id === id || e.Actor?.Attributes?.["podlike.controller"] === id);
    while (ours().filter((e) => e.Action === "start").length < STARTS) {
      if (Date.now() > deadline) throw new Error(`${name}: the pod did not start within 60 s`);
      await sleep(50);
    }
    const steps = ours().map((e) => [Number(BigInt(e.timeNano) / 1000n) / 1000 - t0, `engine: ${e.Action} ${e.id === id ? "controller" : e.Actor.Attributes.name.replace(`${name}.`, "")}`]);
    const stderr = spawnSync("docker", ["logs", id], { encoding: "utf8" }).stderr;
    for (const line of stderr.split("\n")) {
      if (!line.startsWith(TRACE)) continue;
      const [at, ...what] = line.slice(TRACE.length).split(" ");
      steps.push([Number(at) - t0, `controller: ${what.join(" ")}`]);
    }
    return steps;
  } finally {
    await docker.getContainer(id).stop({ t: 10 }).catch(() => {});
    await docker.getContainer(id).remove({ force: true }).catch(() => {});
    const left = await docker.listContainers({ all: true, filters: { label: [`podlike.controller=${id}`] } });
    await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => {})));
  }
}

execFileSync("bash", ["scripts/build-local-image.sh"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
try {
  await onePod("warm");
  const byStep = new Map();
  for (let run = 1; run <= RUNS; run++) {
    for (const [at, what] of await onePod(run)) byStep.set(what, [...(byStep.get(what) ?? []), at]);
  }
  const rows = [...byStep].map(([what, times]) => [median(times), what, times.length]).sort((a, b) => a[0] - b[0]);
  console.log(`pod start steps, ms after the request creating the controller container (median of ${RUNS} runs):`);
  let previous = 0;
  for (const [at, what, count] of rows) {
    console.log(`${at.toFixed(0).padStart(6)}  (+${(at - previous).toFixed(0).padStart(3)})  ${what}${count < RUNS ? ` (${count} of ${RUNS} runs)` : ""}`);
    previous = at;
  }
} finally {
  closeEvents();
}
