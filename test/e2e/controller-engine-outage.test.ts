/**
 * The controller when its engine goes away, on a real engine: each
 * controller reaches the engine through its own relay socket (see
 * engine-relay.ts), which the test cuts, as a dockerd that is killed or
 * stopped would, without touching the engine the team shares. Components
 * live on in the engine meanwhile, as they do in containerd.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";
import { component, controllerLogs, ensureControllerImage, exitCodeOf, inspect, podContainers, removePod, runController, waitFor } from "../controller/e2e-support.js";
import { EngineRelay } from "../controller/engine-relay.js";

const SLEEPER = component([`image: ${BUSYBOX}`, "command: sleep 3600", "init: true"]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const lines = (text: string, pattern: RegExp) => text.split("\n").filter((line) => pattern.test(line));

describe("controller through engine outages", { ...e2eOptions(), concurrency: true }, () => {
  const created: { name: string; id?: string }[] = [];
  const relays: EngineRelay[] = [];

  /** A pod of two sleepers (app, side) whose controller reaches the engine only through a fresh relay. */
  async function startPod(purpose: string) {
    const relay = new EngineRelay();
    relays.push(relay);
    await relay.up();
    const name = testName(purpose);
    const entry: { name: string; id?: string } = { name };
    created.push(entry);
    const id = runController(name, { labels: { "pod.component.app": SLEEPER, "pod.component.side": SLEEPER }, dockerArgs: relay.dockerArgs() });
    entry.id = id;
    await waitFor("the pod running", () => /pod running/.test(controllerLogs(name).stderr), 30_000);
    return { relay, name, id, app: `${name}.podlike.app`, side: `${name}.podlike.side` };
  }

  /** Checks every second for `ms` that the containers keep running, unrestarted. */
  async function keepsRunning(containers: string[], ms: number): Promise<void> {
    const startedAt = containers.map((c) => inspect(c, "{{.State.StartedAt}}"));
    const end = Date.now() + ms;
    while (Date.now() < end) {
      containers.forEach((c, i) => {
        assert.equal(inspect(c, "{{.State.Running}} {{.State.StartedAt}}"), `true ${startedAt[i]}`, `${c} kept running`);
      });
      await sleep(1000);
    }
  }

  before(() => ensureControllerImage());
  after(async () => {
    for (const relay of relays) await relay.dispose();
    for (const { name, id } of created) removePod(name, id);
  });

  test("an outage of 20 s: the pod keeps running, the controller reconnects, checks its members, and still stops cleanly", async () => {
    const pod = await startPod("outage20");
    await pod.relay.cut();
    await waitFor("the loss noticed", () => /lost the engine/.test(controllerLogs(pod.name).stderr));
    await keepsRunning([pod.name, pod.app, pod.side], 20_000);
    await pod.relay.up();
    await waitFor("the reconnect", () => /the engine is back after \d+\.\d s/.test(controllerLogs(pod.name).stderr), 15_000);
    await keepsRunning([pod.name, pod.app, pod.side], 2_000);
    docker(["kill", "--signal", "TERM", pod.name]);
    assert.equal(await exitCodeOf(pod.name), 0);
    assert.deepEqual(podContainers(pod.id), []);
    const stderr = controllerLogs(pod.name).stderr;
    assert.equal(lines(stderr, /lost the engine/).length, 1, stderr);
    assert.equal(lines(stderr, /error/).length, 0, stderr);
  });

  test("an outage of 60 s with a component killed in it: the others keep running, the kill is handled as its exit once the engine is back", async () => {
    const pod = await startPod("outage60");
    await pod.relay.cut();
    await waitFor("the loss noticed", () => /lost the engine/.test(controllerLogs(pod.name).stderr));
    await keepsRunning([pod.name, pod.app, pod.side], 10_000);
    docker(["kill", "--signal", "KILL", pod.side]);
    await keepsRunning([pod.name, pod.app], 50_000);
    assert.doesNotMatch(controllerLogs(pod.name).stderr, /stopping the pod/);
    await pod.relay.up();
    const code = await exitCodeOf(pod.name, 30_000);
    assert.deepEqual(podContainers(pod.id), []);
    // the killed component is auto-removed: its code comes from the replayed die event, unless the engine's
    // event log (the last 256 events, busy on a shared engine) no longer holds it; then the exit is reported without one
    const stderr = controllerLogs(pod.name).stderr;
    assert.match(stderr, /the engine is back after 6\d\.\d s[^]*stopping the pod: component side (exited with code 137|is gone: it was removed while the engine was out of reach)/);
    assert.equal(code, /side exited with code 137/.test(stderr) ? 137 : 1, stderr);
  });

  test("a clean engine stop (the socket goes, the engine stops the containers and then the controller): exit 0, one line saying the engine went away", async () => {
    const pod = await startPod("enginestop");
    await pod.relay.cut();
    docker(["stop", "--time", "2", pod.app, pod.side]);
    docker(["kill", "--signal", "TERM", pod.name]);
    assert.equal(await exitCodeOf(pod.name), 0);
    const stderr = controllerLogs(pod.name).stderr;
    assert.equal(lines(stderr, /engine went away/).length, 1, stderr);
    assert.ok(lines(stderr, /ECONNREFUSED|ENOENT/).length <= 1, stderr);
    assert.equal(lines(stderr, /error/).length, 0, stderr);
  });
});
