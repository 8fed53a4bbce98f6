import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { serviceProgress, waitForConvergence } from "../../src/deploy/converge.js";
import type { SwarmTask } from "../../src/engine/swarm.js";
import { FakeSwarm } from "../support/fake-swarm.js";

const service = (mode: Record<string, unknown> = { Replicated: { Replicas: 2 } }, update?: { State: string; Message?: string }) => ({
  id: "s1",
  name: "st_web",
  version: 1,
  spec: { Name: "st_web", Mode: mode },
  ...(update ? { updateState: update.State, updateMessage: update.Message } : {}),
});
const task = (id: string, state: string, desired = "running", err?: string): SwarmTask => ({
  id,
  serviceId: "s1",
  desiredState: desired,
  state,
  ...(err ? { err } : {}),
});

describe("where a service stands", () => {
  test("converged when the desired number of tasks run and no others are meant to", () => {
    assert.equal(serviceProgress(service(), [task("a", "running"), task("b", "running")], new Set()).state, "converged");
    assert.equal(serviceProgress(service(), [task("a", "running"), task("b", "starting")], new Set()).state, "starting");
    const progress = serviceProgress(service(), [task("a", "running"), task("b", "running"), task("old", "running", "shutdown")], new Set());
    assert.deepEqual([progress.running, progress.desired, progress.state], [2, 2, "converged"]);
  });

  test("a new failed or rejected task fails with its error; one from before the deploy does not", () => {
    const failed = serviceProgress(service(), [task("a", "running"), task("b", "rejected", "shutdown", "No such image: nope:1")], new Set());
    assert.equal(failed.state, "failed");
    assert.match(failed.message!, /No such image: nope:1/);
    const old = serviceProgress(service(), [task("a", "running"), task("b", "running"), task("c", "failed", "shutdown", "x")], new Set(["c"]));
    assert.equal(old.state, "converged");
  });

  test("an update in progress is not converged; a paused or rolled back update fails", () => {
    const tasks = [task("a", "running"), task("b", "running")];
    assert.equal(serviceProgress(service(undefined, { State: "updating" }), tasks, new Set()).state, "starting");
    const paused = serviceProgress(service(undefined, { State: "paused", Message: "update paused due to failure" }), tasks, new Set());
    assert.equal(paused.state, "failed");
    assert.match(paused.message!, /paused due to failure/);
  });

  test("while waiting, a task the scheduler cannot place says why", () => {
    const pending = { ...task("b", "pending"), err: "no suitable node (host-mode port already in use on 1 node)" };
    const progress = serviceProgress(service(), [task("a", "running"), pending], new Set());
    assert.equal(progress.state, "starting");
    assert.match(progress.message!, /no suitable node/);
  });

  test("global services want one task per scheduled node", () => {
    const progress = serviceProgress(service({ Global: {} }), [task("a", "running"), task("b", "pending")], new Set());
    assert.deepEqual([progress.running, progress.desired, progress.state], [1, 2, "starting"]);
  });
});

describe("waiting for convergence", () => {
  /** A Swarm whose tasks move on by one round at each poll. */
  function fakeDocker(rounds: SwarmTask[][]): FakeSwarm {
    const swarm = new FakeSwarm();
    swarm.services.set("s1", service({ Replicated: { Replicas: 1 } }));
    let round = 0;
    swarm.listTasks = async () => rounds[Math.min(round++, rounds.length - 1)]!;
    return swarm;
  }
  function clock() {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => void (t += ms) };
  }

  test("returns once the services stayed converged for the stable period", async () => {
    const c = clock();
    const seen: string[] = [];
    const result = await waitForConvergence(fakeDocker([[task("a", "starting")], [task("a", "running")]]), ["s1"], {
      previousTaskIds: new Set(), stableMs: 5000, pollMs: 500, ...c, onProgress: (p) => seen.push(p[0]!.state),
    });
    assert.equal(result[0]!.state, "converged");
    assert.equal(seen[0], "starting");
    assert.ok(c.now() >= 5000 && c.now() <= 6000, String(c.now()));
  });

  test("a failing task ends the wait with its error", async () => {
    await assert.rejects(
      waitForConvergence(fakeDocker([[task("a", "failed", "shutdown", "exit code 3")]]), ["s1"], { previousTaskIds: new Set(), ...clock() }),
      (e: Error) => e.name === "OperationError" && /st_web/.test(e.message) && /exit code 3/.test(e.message),
    );
  });

  test("--timeout bounds the wait", async () => {
    await assert.rejects(
      waitForConvergence(fakeDocker([[task("a", "pending")]]), ["s1"], { previousTaskIds: new Set(), timeoutMs: 3000, ...clock() }),
      (e: Error) => e.name === "OperationError" && /gave up after 3 s/.test(e.message) && /st_web 0\/1/.test(e.message),
    );
  });
});
