#!/usr/bin/env node
// Controller speed and memory against the raw engine, on this machine's engine.
//   pod start: the controller container has started → its 3 busybox components run
//   pod stop:  SIGTERM to the controller → the components and the IPC holder are removed
// The baseline does the same work straight through the Engine API in the same
// run: a holder and 3 components created and started in parallel; removed in
// parallel. Both are timed by the engine's own events as they arrive here.
// Goals: start ≤ 1.1×, stop ≤ 1.2×, controller RSS when idle ≤ 60 MB.
//   npm run bench -- controller          (BENCH_RUNS=7 for more runs)
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { median, root } from "./support/common.mjs";

const require = createRequire(import.meta.url);
const Docker = require("dockerode");
const docker = new Docker();
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BUSYBOX = "podlike-test/busybox:latest";
const CONTROLLER = process.env.PODLIKE_LOCAL_IMAGE || "podlike/controller:local";
const prefix = `podliketest-bench-${process.pid.toString(36)}`;
const IDLE = "process.on('SIGTERM',()=>process.exit(0));setInterval(()=>{},1<<30)";
const COMPONENTS = ["a", "b", "c"];
const componentYaml = `image: ${BUSYBOX}\ncommand: sleep 3600\ninit: true\n`;

const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Subscribes to container events with `label`; `until(action, count)` resolves with the arrival time of the count-th one. */
async function watch(label, action) {
  const stream = await docker.getEvents({ filters: { type: ["container"], event: [action], label: [label] } });
  const arrivals = [];
  let waiter;
  let pending = "";
  stream.on("data", (chunk) => {
    pending += chunk.toString();
    let i;
    while ((i = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, i);
      pending = pending.slice(i + 1);
      if (!line.trim()) continue;
      arrivals.push(now());
      waiter?.();
    }
  });
  return {
    until(count, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${count} ${action} events`)), timeoutMs);
        waiter = () => {
          if (arrivals.length >= count) {
            clearTimeout(timer);
            resolve(arrivals[count - 1]);
          }
        };
        waiter();
      });
    },
    close: () => stream.destroy(),
  };
}

async function controllerPod(run) {
  const name = `${prefix}-ctl-${run}`;
  const labels = Object.fromEntries(COMPONENTS.map((c) => [`pod.component.${c}`, componentYaml]));
  const container = await docker.createContainer({
    name,
    Image: CONTROLLER,
    Labels: labels,
    HostConfig: { Binds: ["/var/run/docker.sock:/var/run/docker.sock"] },
  });
  const mark = `podlike.controller=${container.id}`;
  try {
    const starts = await watch(mark, "start");
    const requested = now();
    await container.start();
    const t0 = now();
    const end = await starts.until(COMPONENTS.length + 1); // the holder and 3 components
    starts.close();
    await sleep(2000);
    const pid = (await container.inspect()).State.Pid;
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;

    const destroys = await watch(mark, "destroy");
    const s0 = now();
    await container.kill({ signal: "SIGTERM" });
    const stopEnd = await destroys.until(COMPONENTS.length + 1);
    destroys.close();
    const exit = await container.wait();
    if (exit.StatusCode !== 0) throw new Error(`controller exited ${exit.StatusCode}`);
    return { start: end - t0, startFromRequest: end - requested, stop: stopEnd - s0, rss };
  } finally {
    await container.remove({ force: true }).catch(() => {});
    const left = await docker.listContainers({ all: true, filters: { label: [mark] } });
    await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => {})));
  }
}

async function rawPod(run) {
  const mark = `${prefix}-raw-${run}`;
  const label = `podliketest.bench=${mark}`;
  const specs = [
    { name: `${mark}-holder`, Image: CONTROLLER, Entrypoint: holderEntrypoint, Cmd: [], Healthcheck: { Test: ["NONE"] }, HostConfig: { IpcMode: "shareable" } },
    ...COMPONENTS.map((c) => ({ name: `${mark}-${c}`, Image: BUSYBOX, Cmd: ["sleep", "3600"], HostConfig: { Init: true } })),
  ].map((s) => ({ ...s, Labels: { "podliketest.bench": mark } }));
  const containers = [];
  try {
    const starts = await watch(label, "start");
    const t0 = now();
    await Promise.all(
      specs.map(async (spec) => {
        const c = await docker.createContainer(spec);
        containers.push(c);
        await c.start();
      }),
    );
    const end = await starts.until(specs.length);
    starts.close();
    await sleep(500);
    const destroys = await watch(label, "destroy");
    const s0 = now();
    await Promise.all(containers.map((c) => c.remove({ force: true })));
    const stopEnd = await destroys.until(specs.length);
    destroys.close();
    return { start: end - t0, stop: stopEnd - s0 };
  } finally {
    await Promise.all(containers.map((c) => c.remove({ force: true }).catch(() => {})));
  }
}

execFileSync("bash", ["scripts/build-local-image.sh"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
// the baseline's holder runs what the controller's holder runs: podlike-pause when the image has it
const hasPause = execFileSync("docker", ["run", "--rm", "--entrypoint", "node", CONTROLLER, "-e", "process.stdout.write(String(require('fs').existsSync('/usr/local/bin/podlike-pause')))"], { encoding: "utf8" }) === "true";
const holderEntrypoint = hasPause ? ["/usr/local/bin/podlike-pause"] : ["node", "--max-old-space-size=8", "-e", IDLE];
// one unmeasured round warms the engine and the page cache
await rawPod("warm");
await controllerPod("warm");

const results = { controller: [], raw: [] };
for (let run = 1; run <= RUNS; run++) {
  const raw = await rawPod(run);
  const pod = await controllerPod(run);
  results.raw.push(raw);
  results.controller.push(pod);
  process.stdout.write(
    `run ${run}: start ${pod.start.toFixed(0)} ms vs raw ${raw.start.toFixed(0)} ms; stop ${pod.stop.toFixed(0)} ms vs raw ${raw.stop.toFixed(0)} ms; RSS ${pod.rss.toFixed(1)} MB\n`,
  );
}
const ratioStart = median(results.controller.map((r, i) => r.start / results.raw[i].start));
const ratioStop = median(results.controller.map((r, i) => r.stop / results.raw[i].stop));
const rss = median(results.controller.map((r) => r.rss));
const verdict = (ok) => (ok ? "ok" : "MISSED");
process.stdout.write(
  [
    `pod start: median ${median(results.controller.map((r) => r.start)).toFixed(0)} ms, raw engine ${median(results.raw.map((r) => r.start)).toFixed(0)} ms, ratio ${ratioStart.toFixed(2)}× (goal ≤ 1.1×: ${verdict(ratioStart <= 1.1)})`,
    `  (counted from the start request of the controller container instead: median ${median(results.controller.map((r) => r.startFromRequest)).toFixed(0)} ms, ratio ${median(results.controller.map((r, i) => r.startFromRequest / results.raw[i].start)).toFixed(2)}×)`,
    `pod stop:  median ${median(results.controller.map((r) => r.stop)).toFixed(0)} ms, raw engine ${median(results.raw.map((r) => r.stop)).toFixed(0)} ms, ratio ${ratioStop.toFixed(2)}× (goal ≤ 1.2×: ${verdict(ratioStop <= 1.2)})`,
    `controller RSS when idle: median ${rss.toFixed(1)} MB (goal ≤ 60 MB: ${verdict(rss <= 60)})`,
    "",
  ].join("\n"),
);
