import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { EngineEvent } from "../../src/engine/container-engine.js";
import {
  componentDetail,
  dependencyReady,
  initialPodState,
  podHealth,
  replayFrom,
  transition,
  type PodEvent,
  type PodState,
} from "../../src/controller/pod-state.js";

const component = (name: string, dependsOn: Record<string, { condition: string }> = {}) => ({ name, role: "component" as const, dependsOn });

/** Feeds the events in order; fails on a transition that changes its input. */
function run(state: PodState, ...events: PodEvent[]): { state: PodState; notes: string[] } {
  const notes: string[] = [];
  for (const event of events) {
    const frozen = JSON.stringify(state);
    const step = transition(state, event);
    assert.equal(JSON.stringify(state), frozen, `transition changed its input on ${event.type}`);
    state = step.state;
    notes.push(...step.notes);
  }
  return { state, notes };
}

const die = (id: string, exitCode: number, time?: string): PodEvent => ({ type: "engineEvent", event: { kind: "die", id, labels: {}, exitCode, ...(time ? { time } : {}) } });
const health = (id: string, h: "starting" | "healthy" | "unhealthy", time?: string): PodEvent => ({
  type: "engineEvent",
  event: { kind: "health", id, labels: {}, health: h, ...(time ? { time } : {}) } as EngineEvent,
});
const inspected = (name: string, info?: { running: boolean; exitCode: number; health?: "starting" | "healthy" | "unhealthy" }): PodEvent => ({ type: "inspected", name, info });

/** Two components app (health check) and side (none), both started and inspected, the pod running. */
function runningPod(): PodState {
  return run(
    initialPodState([], [component("app"), component("side")]),
    { type: "created", name: "app", id: "A" },
    { type: "created", name: "side", id: "S" },
    { type: "started", name: "app" },
    { type: "started", name: "side" },
    inspected("app", { running: true, exitCode: 0, health: "starting" }),
    inspected("side", { running: true, exitCode: 0 }),
    { type: "podStarted" },
  ).state;
}

describe("pod state: members", () => {
  test("a member goes pending → created → running; a start event that beats create's reply is kept until then", () => {
    let state = initialPodState([], [component("app")]);
    assert.equal(state.members.app!.phase, "pending");
    state = run(state, { type: "engineEvent", event: { kind: "start", id: "A", labels: {} } }).state;
    assert.equal(state.members.app!.phase, "pending");
    state = run(state, { type: "created", name: "app", id: "A" }).state;
    assert.equal(state.members.app!.phase, "running");
    assert.deepEqual(state.early, {});
  });

  test("a die reported before start() returned is not undone by the start's reply", () => {
    const { state, notes } = run(initialPodState([], [component("app")]), { type: "created", name: "app", id: "A" }, die("A", 2), { type: "started", name: "app" });
    assert.equal(state.members.app!.phase, "exited");
    assert.equal(state.exit?.code, 2);
    assert.deepEqual(notes, ["stopping the pod: component app exited with code 2"]);
  });

  test("the first component to exit decides the exit code; later exits and a signal do not change it", () => {
    const { state, notes } = run(runningPod(), die("S", 3), die("A", 143), { type: "signal", reason: "received SIGTERM" });
    assert.equal(state.phase, "stopping");
    assert.deepEqual(state.exit, { code: 3, reason: "component side exited with code 3" });
    assert.equal(state.signal, "received SIGTERM");
    assert.equal(state.members.app!.exitCode, 143);
    assert.deepEqual(notes, ["stopping the pod: component side exited with code 3"]);
  });

  test("a signal first: exit code 0", () => {
    const { state } = run(runningPod(), { type: "signal", reason: "received SIGTERM" }, die("A", 143));
    assert.deepEqual(state.exit, { code: 0, reason: "received SIGTERM" });
  });

  test("a component others wait for to complete may exit 0 without ending the pod, but not 1", () => {
    const seed = initialPodState([], [component("setup"), component("web", { setup: { condition: "service_completed_successfully" } })]);
    const created = run(seed, { type: "created", name: "setup", id: "X" }, { type: "started", name: "setup" }).state;
    const ok = run(created, die("X", 0));
    assert.equal(ok.state.phase, "starting");
    assert.deepEqual(ok.notes, ["setup completed"]);
    assert.equal(dependencyReady(ok.state, "web", "setup", "service_completed_successfully"), true);
    const failed = run(created, die("X", 1));
    assert.equal(failed.state.exit?.code, 1);
    assert.throws(() => dependencyReady(failed.state, "web", "setup", "service_completed_successfully"), /web needs setup to complete successfully, but it exited with code 1/);
  });

  test("an init component that fails stops the pod with its code; one that succeeds says so", () => {
    const seed = initialPodState([{ name: "migrate", role: "init", dependsOn: {} }], [component("app")]);
    const ok = run(seed, { type: "created", name: "migrate", id: "M" }, { type: "started", name: "migrate" }, { type: "initDone", name: "migrate", exitCode: 0 });
    assert.equal(ok.state.phase, "starting");
    assert.deepEqual(ok.notes, ["init component migrate completed"]);
    const failed = run(seed, { type: "created", name: "migrate", id: "M" }, { type: "initDone", name: "migrate", exitCode: 4 });
    assert.deepEqual(failed.state.exit, { code: 4, reason: "init component migrate exited with code 4" });
  });

  test("the sandbox dying ends the pod with 1, also when its die came before its create returned", () => {
    const early = run(initialPodState([], [component("app")]), die("H", 137), { type: "holderCreated", id: "H" });
    assert.deepEqual(early.state.exit, { code: 1, reason: "the sandbox exited with code 137" });
  });
});

describe("pod state: health and dependencies", () => {
  test("starting until every component was inspected and the pod started; then health events decide", () => {
    const seed = initialPodState([], [component("app"), component("side")]);
    const half = run(seed, { type: "created", name: "app", id: "A" }, { type: "started", name: "app" }, health("A", "healthy")).state;
    assert.equal(podHealth(half), "starting");
    let state = runningPod();
    assert.equal(podHealth(state), "starting");
    assert.deepEqual(componentDetail(state), { app: "starting", side: "running" });
    state = run(state, health("A", "healthy")).state;
    assert.equal(podHealth(state), "healthy");
    state = run(state, health("A", "unhealthy")).state;
    assert.equal(podHealth(state), "unhealthy");
    assert.equal(state.phase, "running", "unhealthy is reported, not a stop");
    state = run(state, die("S", 9)).state;
    assert.equal(podHealth(state), "stopping");
    assert.deepEqual(componentDetail(state), { app: "unhealthy", side: "exited (9)" });
  });

  test("an inspection older than a health event does not undo it", () => {
    const seed = initialPodState([], [component("app")]);
    const { state } = run(seed, { type: "created", name: "app", id: "A" }, { type: "started", name: "app" }, health("A", "healthy"), inspected("app", { running: true, exitCode: 0, health: "starting" }));
    assert.equal(state.members.app!.health, "healthy");
  });

  test("service_healthy: waits while starting, fails on unhealthy, on no health check, and on an exit", () => {
    const seed = initialPodState([], [component("db"), component("web", { db: { condition: "service_healthy" } })]);
    const started = run(seed, { type: "created", name: "db", id: "D" }, { type: "started", name: "db" }).state;
    assert.equal(dependencyReady(started, "web", "db", "service_healthy"), false);
    assert.equal(dependencyReady(run(started, health("D", "healthy")).state, "web", "db", "service_healthy"), true);
    assert.throws(() => dependencyReady(run(started, health("D", "unhealthy")).state, "web", "db", "service_healthy"), /web needs db healthy, but db is unhealthy/);
    assert.throws(() => dependencyReady(run(started, inspected("db", { running: true, exitCode: 0 })).state, "web", "db", "service_healthy"), /db has no health check/);
    assert.throws(() => dependencyReady(run(started, die("D", 5)).state, "web", "db", "service_healthy"), /db exited with code 5/);
    assert.equal(dependencyReady(seed, "web", "db", "service_started"), false);
    assert.equal(dependencyReady(started, "web", "db", "service_started"), true);
  });
});

describe("pod state: the engine going away", () => {
  test("losing the engine is not a stop: the pod and its health stay as they were, and it is said once", () => {
    const before = run(runningPod(), health("A", "healthy")).state;
    const { state, notes } = run(before, { type: "engineLost", reason: "connect ENOENT" }, { type: "engineLost", reason: "connect ECONNREFUSED" });
    assert.equal(state.engine, "lost");
    assert.equal(state.phase, "running");
    assert.equal(state.exit, undefined);
    assert.equal(podHealth(state), "healthy");
    assert.deepEqual(notes, ["lost the engine (connect ENOENT); the pod keeps running while the controller reconnects"]);
    const back = run(state, { type: "engineBack", outageMs: 20_400 });
    assert.equal(back.state.engine, "connected");
    assert.deepEqual(back.notes, ["the engine is back after 20.4 s; checking every member"]);
  });

  test("after a reconnect, a member found exited is handled as its exit, one found gone as an exit with 1", () => {
    const lost = run(runningPod(), { type: "engineLost", reason: "x" }, { type: "engineBack", outageMs: 1 }).state;
    const exited = run(lost, inspected("app", { running: true, exitCode: 0 }), inspected("side", { running: false, exitCode: 137 }));
    assert.deepEqual(exited.state.exit, { code: 137, reason: "component side exited with code 137" });
    const gone = run(lost, { type: "inspected", name: "side", info: undefined, resync: true });
    assert.deepEqual(gone.state.exit, { code: 1, reason: "component side is gone: it was removed while the engine was out of reach, its exit code unknown", member: "side" });
    const holderGone = run({ ...lost, holder: { id: "H", running: true } }, { type: "holderInspected", info: { running: false, exitCode: 0 } });
    assert.equal(holderGone.state.exit?.code, 1);
  });

  test("a die replayed after the inspection already reported it changes nothing", () => {
    const lost = run(runningPod(), { type: "engineLost", reason: "x" }, { type: "engineBack", outageMs: 1 }).state;
    const { state, notes } = run(lost, inspected("side", { running: false, exitCode: 137 }), die("S", 137));
    assert.equal(state.exit?.code, 137);
    assert.equal(notes.length, 1);
  });

  test("a component gone before its inspection ends the pod with 1 until its die event tells the real code", () => {
    const gone = run(runningPod(), inspected("side", undefined));
    assert.equal(gone.state.exit?.code, 1);
    assert.deepEqual(componentDetail(gone.state).side, "exited (code unknown)");
    const told = run(gone.state, die("S", 7));
    assert.deepEqual(told.state.exit, { code: 7, reason: "component side exited with code 7" });
    assert.deepEqual(told.notes, ["component side exited with code 7"]);
    assert.equal(componentDetail(told.state).side, "exited (7)");
    // also when the teardown removed it before the event came
    const removed = run(gone.state, { type: "removed", name: "side" }, die("S", 7));
    assert.equal(removed.state.exit?.code, 7);
  });

  test("a die that tells the code of a member that was not the pod's first cause changes only that member", () => {
    const first = run(runningPod(), die("A", 3), inspected("side", undefined), die("S", 7));
    assert.deepEqual(first.state.exit, { code: 3, reason: "component app exited with code 3" });
    assert.equal(first.state.members.side!.exitCode, 7);
  });

  test("a component others wait on to complete, gone before its inspection: its die event decides completed or failed", () => {
    const pod = () =>
      run(
        initialPodState([], [component("job"), component("app", { job: { condition: "service_completed_successfully" } })]),
        { type: "created", name: "job", id: "J" },
        { type: "started", name: "job" },
        inspected("job", undefined),
      ).state;
    assert.equal(pod().exit, undefined);
    assert.equal(dependencyReady(pod(), "app", "job", "service_completed_successfully"), false, "waits for the code");
    const ok = run(pod(), die("J", 0));
    assert.equal(ok.state.exit, undefined);
    assert.equal(dependencyReady(ok.state, "app", "job", "service_completed_successfully"), true);
    const failed = run(pod(), die("J", 2));
    assert.deepEqual(failed.state.exit, { code: 2, reason: "component job exited with code 2" });
  });

  test("a reconnect replays from the last event seen, or from just before the loss", () => {
    const seen = run(runningPod(), health("A", "healthy", "1700000000000000500"), die("X-unknown", 0, "1700000000000000400")).state;
    assert.equal(replayFrom(seen, 1_700_000_005_000), "1700000000000000500");
    assert.equal(replayFrom(runningPod(), 1_700_000_005_000), "1700000004000000000");
  });

  test("the engine going away during the stop ends the pod with 0, and a failed teardown then is no failure", () => {
    const { state } = run(runningPod(), die("A", 143), { type: "engineGone" }, { type: "teardownFailed" });
    assert.equal(state.engineGone, true);
    assert.deepEqual(state.exit, { code: 0, reason: "the engine went away" });
    const failed = run(runningPod(), { type: "signal", reason: "received SIGTERM" }, { type: "teardownFailed" });
    assert.equal(failed.state.exit?.code, 1, "a teardown that failed otherwise turns a clean stop into a failure");
  });
});
