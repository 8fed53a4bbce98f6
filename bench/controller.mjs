#!/usr/bin/env node
// Controller speed, memory and size against the raw engine, on this machine's engine.
//   pod start: the request creating the controller container (created, then
//              started, as Swarm does) → its holder and 3 busybox components run
//   pod stop:  the stop request to the controller → the holder and the 3
//              components are removed
// Baseline, same run: the raw engine doing the same work with no Node process
// in the measured path — curl over the engine's unix socket creates and starts
// a holder, then 3 containers joined to its network and IPC namespaces, in
// parallel; removal is 4 forced removals in parallel. Beside it, not a goal's
// baseline: the sealed pod on the raw engine (rawSealedPod), the engine's
// floor for a pod that has a sandbox.
// Each time runs from the moment the first request is sent to the engine's own
// timestamp (timeNano) of the last start or destroy event, so how fast this
// script hears of the events does not count.
// Also: the controller's idle RSS (its process inside the container, from
// /proc) against an idle `node`, both read after BENCH_IDLE_S (60) seconds of
// idling, 3 pods side by side (2 s after the start it is a few MB higher, until
// V8 gives back what the start used), and the size of the controller image.
// Goals (issue #13): start ≤ 1.2× raw, stop ≤ 1.5× raw, RSS ≤ 45 MB, image ≤ 100 MB.
//   npm run bench -- controller          (BENCH_RUNS=7 for more runs)
// BENCH_BASELINE_IMAGE=podlike/controller:old (an image built by an older
// checkout's npm run image:local) also times that controller in the same
// rounds, for before/after figures.
// BENCH_GO_IMAGE=<image of the original Go Podlike, built from its source>
// also times the Go controller in the same rounds on the same labels: its
// components join the controller's own namespaces (it has no sandbox), so its
// pod is the 3 components, sharing network and PID but not IPC (see goPod);
// it is the "faster than Go" baseline of the issue. Go's pod is not sealed: its
// components see the controller's processes, so it needs no sandbox. The same
// rounds also time the job both can do alike, taking turns: components that
// share only the controller's network (podlike --no-pids --no-ipc, which makes
// no sandbox, against Go -pids=false -ipc=false).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { docker, SOCKET, BUSYBOX, CONTROLLER } from "./support/engine.mjs";
import { median, root } from "./support/common.mjs";
import { watchContainerEvents } from "./support/container-events.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BASELINE_IMAGE = process.env.BENCH_BASELINE_IMAGE;
const GO_IMAGE = process.env.BENCH_GO_IMAGE;
const prefix = `podliketest-bench-${process.pid.toString(36)}`;
const MARK = "podliketest.bench";
const IDLE = "process.on('SIGTERM',()=>process.exit(0));setInterval(()=>{},1<<30)";
const COMPONENTS = ["a", "b", "c"];
const MEMBERS = COMPONENTS.length + 1; // the holder and the components
const componentYaml = `image: ${BUSYBOX}\ncommand: sleep 3600\ninit: true\n`;
const GOALS = { start: 1.2, stop: 1.5, rssMB: 45, imageMB: 100 };
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 60);
const IDLE_PODS = 3;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const wallNs = () => BigInt(Date.now()) * 1_000_000n;
const ms = (ns) => Number(ns) / 1e6;

// ---- the engine's events, with its own timestamps --------------------------
const watched = await watchContainerEvents(docker, ["start", "destroy"]);
const waiters = watched.listeners;
const eventOf = (e) => ({ action: e.Action, labels: e.Actor?.Attributes ?? {}, time: BigInt(e.timeNano) });

/** Resolves with the timeNano of the last of `count` events `action` whose labels include key=value. */
function lastEvent(action, key, value, count, since, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const seen = watched.events.map(eventOf).filter((e) => e.action === action && e.labels[key] === value && e.time >= since);
      if (seen.length < count) return;
      done();
      resolve(seen.reduce((max, e) => (e.time > max ? e.time : max), 0n));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out waiting for ${count} ${action} events of ${key}=${value}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      waiters.delete(check);
    };
    waiters.add(check);
    check();
  });
}

// ---- the measured paths: curl on the engine socket, one shell per path -------
/** Runs a bash script whose API calls are curl on the engine socket (`api METHOD PATH [JSON]`; `create NAME JSON` prints the new container's id). */
function shell(script, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", `set -euo pipefail\napi() { curl -sf --unix-socket ${SOCKET} -X "$1" -H 'Content-Type: application/json' --data "\${3:-}" "http://localhost/v1.41$2"; }\ncreate() { api POST "/containers/create?name=$1" "$2" | sed 's/.*"Id":"\\([0-9a-f]*\\)".*/\\1/'; }\n${script}`], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`shell step failed (${code}): ${script.split("\n")[0]}`))));
  });
}

/** Creates and starts a controller container as Swarm would (create, then start), through curl; returns its id. */
async function createAndStart(name, body) {
  const script = `id=$(create ${name} "$BODY")\napi POST "/containers/$id/start"\necho "$id"`;
  return (await shell(script, { BODY: body })).trim();
}

/** Our pod; `shareNothing` runs it as the same job as goPod(run, true): no sandbox, the components share the controller's network alone. */
async function controllerPod(run, image = CONTROLLER, shareNothing = false) {
  const name = `${prefix}-ctl-${run}${image === CONTROLLER ? "" : "-baseline"}${shareNothing ? "-net-only" : ""}`;
  const labels = { [MARK]: name, ...Object.fromEntries(COMPONENTS.map((c) => [`pod.component.${c}`, componentYaml])) };
  const body = JSON.stringify({ Image: image, Cmd: shareNothing ? ["--no-pids", "--no-ipc"] : [], Labels: labels, HostConfig: { Binds: [`${SOCKET}:${SOCKET}`] } });
  const members = shareNothing ? COMPONENTS.length : MEMBERS;
  let id;
  try {
    const t0 = wallNs();
    id = await createAndStart(name, body);
    const started = await lastEvent("start", "podlike.controller", id, members, t0);
    await sleep(2000); // idle
    const pid = (await docker.getContainer(id).inspect()).State.Pid;
    const rss = rssMB(pid);

    const s0 = wallNs();
    await shell(`api POST "/containers/${id}/stop?t=10"`);
    const removed = await lastEvent("destroy", "podlike.controller", id, members, s0);
    const exit = await docker.getContainer(id).wait();
    if (exit.StatusCode !== 0) throw new Error(`controller exited ${exit.StatusCode}`);
    return { start: ms(started - t0), stop: ms(removed - s0), rss };
  } finally {
    if (id) await docker.getContainer(id).remove({ force: true }).catch(() => {});
    await removeLabelled(id ? `podlike.controller=${id}` : null);
  }
}

/**
 * The same pod on the original Go Podlike: its components carry no controller label, so each carries the run's mark.
 * `shareNothing`: -pids=false as well, the same job as controllerPod(run, CONTROLLER, true).
 */
async function goPod(run, shareNothing = false) {
  const name = `${prefix}-go-${run}${shareNothing ? "-net-only" : ""}`;
  // no `init:` (the Go controller refuses the key); its components share the controller's PID namespace, so sleep is not PID 1 and stops on SIGTERM
  const marked = `image: ${BUSYBOX}\ncommand: sleep 3600\nlabels:\n  ${MARK}.go: ${name}\n`;
  const labels = { [MARK]: name, ...Object.fromEntries(COMPONENTS.map((c) => [`pod.component.${c}`, marked])) };
  // -ipc=false: the Go controller shares IPC by joining its own container's, which the engine refuses unless that container was made shareable, and Swarm cannot make it so
  const body = JSON.stringify({ Image: GO_IMAGE, Cmd: shareNothing ? ["-ipc=false", "-pids=false"] : ["-ipc=false"], Labels: labels, HostConfig: { Binds: [`${SOCKET}:${SOCKET}`] } });
  let id;
  try {
    const t0 = wallNs();
    id = await createAndStart(name, body);
    const started = await lastEvent("start", `${MARK}.go`, name, COMPONENTS.length, t0);
    await sleep(2000); // idle
    const rss = rssMB((await docker.getContainer(id).inspect()).State.Pid);
    const s0 = wallNs();
    await shell(`api POST "/containers/${id}/stop?t=10"`);
    const removed = await lastEvent("destroy", `${MARK}.go`, name, COMPONENTS.length, s0);
    return { start: ms(started - t0), stop: ms(removed - s0), rss };
  } finally {
    if (id) await docker.getContainer(id).remove({ force: true }).catch(() => {});
    await removeLabelled(`${MARK}.go=${name}`);
  }
}

async function rawPod(run) {
  const mark = `${prefix}-raw-${run}`;
  const labels = { [MARK]: mark };
  const holder = JSON.stringify({ Image: CONTROLLER, Entrypoint: holderEntrypoint, Cmd: [], Healthcheck: { Test: ["NONE"] }, Labels: labels, HostConfig: { IpcMode: "shareable" } });
  const member = (h) => JSON.stringify({ Image: BUSYBOX, Cmd: ["sleep", "3600"], Labels: labels, HostConfig: { Init: true, NetworkMode: `container:${h}`, IpcMode: `container:${h}` } });
  try {
    const t0 = wallNs();
    const ids = await shell(
      [
        `h=$(create ${mark}-holder "$HOLDER")`,
        `api POST "/containers/$h/start"`,
        `MEMBER=\${MEMBER_TEMPLATE//HOLDER/$h}`,
        ...COMPONENTS.map((c) => `( id=$(create ${mark}-${c} "$MEMBER"); api POST "/containers/$id/start"; echo "$id" ) &`),
        `wait; echo "$h"`,
      ].join("\n"),
      { HOLDER: holder, MEMBER_TEMPLATE: member("HOLDER") },
    ).then((out) => out.split("\n").filter(Boolean));
    const started = await lastEvent("start", MARK, mark, MEMBERS, t0);
    if (ids.length !== MEMBERS) throw new Error(`the raw pod started ${ids.length} containers, not ${MEMBERS}`);
    await sleep(500);

    const s0 = wallNs();
    await shell(ids.map((id) => `api DELETE "/containers/${id}?force=1" &`).join("\n") + "\nwait");
    const removed = await lastEvent("destroy", MARK, mark, MEMBERS, s0);
    return { start: ms(started - t0), stop: ms(removed - s0) };
  } finally {
    await removeLabelled(`${MARK}=${mark}`);
  }
}

/**
 * The sealed pod on the raw engine: what any controller sealing the pod as podlike does must have the engine do,
 * with no Node process and the best overlap the engine allows. A holder owns the network, as the controller's
 * container does (a controller runs in it, so nothing of the pod begins before it runs); a sandbox joined to it
 * owns the PID and IPC namespaces, and the 3 members join both; the members
 * are created while the sandbox starts and started once it runs. Not a goal's baseline: it tells how much of the
 * pod's start the sandbox costs on the engine alone.
 */
async function rawSealedPod(run) {
  const mark = `${prefix}-sealed-${run}`;
  const labels = { [MARK]: mark };
  const holder = JSON.stringify({ Image: CONTROLLER, Entrypoint: holderEntrypoint, Cmd: [], Healthcheck: { Test: ["NONE"] }, Labels: labels });
  const sandbox = (h) => JSON.stringify({ Image: CONTROLLER, Entrypoint: holderEntrypoint, Cmd: [], Healthcheck: { Test: ["NONE"] }, Labels: labels, HostConfig: { NetworkMode: `container:${h}`, IpcMode: "shareable" } });
  const joined = "container:SANDBOX";
  const member = JSON.stringify({ Image: BUSYBOX, Cmd: ["sleep", "3600"], Labels: labels, HostConfig: { Init: true, NetworkMode: "container:HOLDER", PidMode: joined, IpcMode: joined } });
  try {
    const t0 = wallNs();
    await shell(
      [
        `h=$(create ${mark}-holder "$HOLDER")`,
        `api POST "/containers/$h/start"`,
        `SANDBOX_BODY=\${SANDBOX_TEMPLATE//HOLDER/$h}`,
        `s=$(create ${mark}-sandbox "$SANDBOX_BODY")`,
        `MEMBER=\${MEMBER_TEMPLATE//HOLDER/$h}; MEMBER=\${MEMBER//SANDBOX/$s}`,
        `ids=$( { api POST "/containers/$s/start" & ${COMPONENTS.map((c) => `create ${mark}-${c} "$MEMBER" &`).join(" ")} wait; } )`,
        `for id in $ids; do api POST "/containers/$id/start" & done`,
        "wait",
      ].join("\n"),
      { HOLDER: holder, SANDBOX_TEMPLATE: sandbox("HOLDER"), MEMBER_TEMPLATE: member },
    );
    const started = await lastEvent("start", MARK, mark, MEMBERS + 1, t0);
    return { start: ms(started - t0) };
  } finally {
    await removeLabelled(`${MARK}=${mark}`);
  }
}

async function removeLabelled(label) {
  if (!label) return;
  const left = await docker.listContainers({ all: true, filters: { label: [label] } });
  await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => {})));
}

const rssMB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;

/** RSS of an idle `node` (this machine's binary, the one the controller image holds) after `ms`. */
async function idleNodeRSS(ms = 2000) {
  const child = spawn(process.execPath, ["-e", IDLE], { stdio: "ignore" });
  try {
    await sleep(ms);
    return rssMB(child.pid);
  } finally {
    child.kill("SIGTERM");
  }
}

/** RSS of IDLE_PODS controllers started side by side, after IDLE_S seconds of idling, with an idle `node` started with them. */
async function idleControllersRSS() {
  const ids = [];
  try {
    const labels = Object.fromEntries(COMPONENTS.map((c) => [`pod.component.${c}`, componentYaml]));
    for (let i = 0; i < IDLE_PODS; i++) {
      const created = await docker.createContainer({ name: `${prefix}-idle-${i}`, Image: CONTROLLER, Labels: { [MARK]: `${prefix}-idle`, ...labels }, HostConfig: { Binds: [`${SOCKET}:${SOCKET}`] } });
      ids.push(created.id);
      await created.start();
    }
    const node = idleNodeRSS(IDLE_S * 1000);
    await sleep(IDLE_S * 1000);
    const pods = [];
    for (const id of ids) pods.push(rssMB((await docker.getContainer(id).inspect()).State.Pid));
    return { pods, node: await node };
  } finally {
    for (const id of ids) {
      await docker.getContainer(id).stop({ t: 10 }).catch(() => {});
      await docker.getContainer(id).remove({ force: true }).catch(() => {});
      await removeLabelled(`podlike.controller=${id}`);
    }
  }
}

execFileSync("bash", ["scripts/build-local-image.sh"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
// the baseline's holder runs what the controller's holder runs: podlike-pause when the image has it
const hasPause = execFileSync("docker", ["run", "--rm", "--entrypoint", "node", CONTROLLER, "-e", "process.stdout.write(String(require('fs').existsSync('/usr/local/bin/podlike-pause')))"], { encoding: "utf8" }) === "true";
const holderEntrypoint = hasPause ? ["/usr/local/bin/podlike-pause"] : ["node", "--max-old-space-size=8", "-e", IDLE];
if (BASELINE_IMAGE && spawnSync("docker", ["image", "inspect", BASELINE_IMAGE], { stdio: "ignore" }).status !== 0) {
  process.stderr.write(`BENCH_BASELINE_IMAGE=${BASELINE_IMAGE} is not an image on this engine: build it with npm run image:local in that checkout\n`);
  process.exit(2);
}
if (GO_IMAGE && spawnSync("docker", ["image", "inspect", GO_IMAGE], { stdio: "ignore" }).status !== 0) {
  process.stderr.write(`BENCH_GO_IMAGE=${GO_IMAGE} is not an image on this engine: build the original Podlike's image from its source\n`);
  process.exit(2);
}
const imageSizeMB = (image) => Number(execFileSync("docker", ["image", "inspect", "-f", "{{.Size}}", image], { encoding: "utf8" }).trim()) / 1e6;
const imageMB = imageSizeMB(CONTROLLER);

try {
  // one unmeasured round warms the engine and the page cache
  await rawPod("warm");
  await rawSealedPod("warm");
  await controllerPod("warm");

  if (BASELINE_IMAGE) await controllerPod("warm", BASELINE_IMAGE);
  if (GO_IMAGE) await goPod("warm");

  const results = { controller: [], raw: [], sealed: [], node: [], baseline: [], go: [], netOnly: [], goNetOnly: [] };
  for (let run = 1; run <= RUNS; run++) {
    const raw = await rawPod(run);
    const sealed = await rawSealedPod(run);
    // with a baseline image, the two controllers take turns going first
    const baselineFirst = BASELINE_IMAGE && run % 2 === 0;
    const before = baselineFirst ? await controllerPod(run, BASELINE_IMAGE) : undefined;
    const pod = await controllerPod(run);
    const baseline = before ?? (BASELINE_IMAGE ? await controllerPod(run, BASELINE_IMAGE) : undefined);
    const go = GO_IMAGE ? await goPod(run) : undefined;
    let sameJob;
    if (GO_IMAGE) {
      // the same job on both controllers, taking turns going first
      const goFirst = run % 2 === 1 ? await goPod(run, true) : undefined;
      const ours = await controllerPod(run, CONTROLLER, true);
      sameJob = { ours, go: goFirst ?? (await goPod(run, true)) };
      results.netOnly.push(sameJob.ours);
      results.goNetOnly.push(sameJob.go);
    }
    const node = await idleNodeRSS();
    if (go) results.go.push(go);
    results.raw.push(raw);
    results.sealed.push(sealed);
    results.controller.push(pod);
    results.node.push(node);
    if (baseline) results.baseline.push(baseline);
    process.stdout.write(
      `run ${run}: start ${pod.start.toFixed(0)} ms vs raw ${raw.start.toFixed(0)} ms, sealed pod on the raw engine ${sealed.start.toFixed(0)} ms; stop ${pod.stop.toFixed(0)} ms vs raw ${raw.stop.toFixed(0)} ms; RSS 2 s after the start ${pod.rss.toFixed(1)} MB vs idle node ${node.toFixed(1)} MB` +
        (baseline ? `; baseline image start ${baseline.start.toFixed(0)} ms, stop ${baseline.stop.toFixed(0)} ms` : "") +
        (go ? `; Go Podlike start ${go.start.toFixed(0)} ms, stop ${go.stop.toFixed(0)} ms, RSS ${go.rss.toFixed(1)} MB` : "") +
        (sameJob ? `; network only: start ${sameJob.ours.start.toFixed(0)} ms vs Go ${sameJob.go.start.toFixed(0)} ms` : "") +
        "\n",
    );
  }
  const med = (list, key) => median(list.map((r) => r[key]));
  const ratio = (key) => median(results.controller.map((r, i) => r[key] / results.raw[i][key]));
  const verdict = (ok) => (ok ? "ok" : "MISSED");
  const idle = await idleControllersRSS();
  process.stdout.write(`after ${IDLE_S} s idle: controllers ${idle.pods.map((r) => r.toFixed(1)).join(", ")} MB; idle node ${idle.node.toFixed(1)} MB\n`);
  const rss = median(idle.pods);
  const nodeRss = idle.node;
  process.stdout.write(
    [
      `baseline: the raw engine through curl on ${SOCKET} (no Node process): a holder, then 3 containers joined to it, created and started in parallel; removal: 4 forced removals in parallel`,
      `pod start: median ${med(results.controller, "start").toFixed(0)} ms, raw engine ${med(results.raw, "start").toFixed(0)} ms, ratio ${ratio("start").toFixed(2)}× (goal ≤ ${GOALS.start}×: ${verdict(ratio("start") <= GOALS.start)})`,
      `the sealed pod on the raw engine (a holder; a sandbox joined to its network owning PID and IPC; 3 containers joined to both, created while the sandbox starts): median ${med(results.sealed, "start").toFixed(0)} ms, ${median(results.sealed.map((r, i) => r.start / results.raw[i].start)).toFixed(2)}× raw; podlike's start is ${median(results.controller.map((r, i) => r.start / results.sealed[i].start)).toFixed(2)}× it (medians of per-round ratios)`,
      `pod stop:  median ${med(results.controller, "stop").toFixed(0)} ms, raw engine ${med(results.raw, "stop").toFixed(0)} ms, ratio ${ratio("stop").toFixed(2)}× (goal ≤ ${GOALS.stop}×: ${verdict(ratio("stop") <= GOALS.stop)})`,
      `controller RSS after ${IDLE_S} s idle: median ${rss.toFixed(1)} MB, idle node ${nodeRss.toFixed(1)} MB, ratio ${(rss / nodeRss).toFixed(2)}× (goal ≤ ${GOALS.rssMB} MB: ${verdict(rss <= GOALS.rssMB)}); 2 s after the start: median ${med(results.controller, "rss").toFixed(1)} MB`,
      `controller image ${CONTROLLER}: ${imageMB.toFixed(1)} MB (goal ≤ ${GOALS.imageMB} MB: ${verdict(imageMB <= GOALS.imageMB)}); the release image (Dockerfile, FROM an official Node image) cannot be built offline here`,
      ...(BASELINE_IMAGE
        ? ["start", "stop"].map((key) => {
            const against = median(results.controller.map((r, i) => r[key] / results.baseline[i][key]));
            return `pod ${key} against ${BASELINE_IMAGE}: median ${med(results.controller, key).toFixed(0)} ms vs ${med(results.baseline, key).toFixed(0)} ms, ratio ${against.toFixed(2)}× (median of per-round ratios)`;
          })
        : []),
      ...(GO_IMAGE
        ? [
            ...["start", "stop"].map((key) => {
              const against = median(results.controller.map((r, i) => r[key] / results.go[i][key]));
              const goal = key === "start" ? `; goal < 1.0×: ${verdict(against < 1)}` : "";
              return `pod ${key} against the Go Podlike (${GO_IMAGE}): median ${med(results.controller, key).toFixed(0)} ms vs ${med(results.go, key).toFixed(0)} ms, ratio ${against.toFixed(2)}× (median of per-round ratios${goal})`;
            }),
            `the sealed pod on the raw engine against Go Podlike: ${median(results.sealed.map((r, i) => r.start / results.go[i].start)).toFixed(2)}× (median of per-round ratios): the engine's own floor for a pod with a sandbox`,
            `Go Podlike: idle RSS ${med(results.go, "rss").toFixed(1)} MB, image ${imageSizeMB(GO_IMAGE).toFixed(1)} MB`,
            // no stop: there a Go component's `sleep` is PID 1 of its own namespace, ignores SIGTERM and waits for the kill
            `the same job on both (components share the controller's network only: podlike --no-pids --no-ipc, no sandbox; Go -pids=false -ipc=false): pod start median ${med(results.netOnly, "start").toFixed(0)} ms vs Go ${med(results.goNetOnly, "start").toFixed(0)} ms, ratio ${median(results.netOnly.map((r, i) => r.start / results.goNetOnly[i].start)).toFixed(2)}× (median of per-round ratios)`,
          ]
        : []),
      "",
    ].join("\n"),
  );
} finally {
  watched.close();
}
