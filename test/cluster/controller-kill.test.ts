/**
 * The controller is killed with SIGKILL twenty times on a worker: Swarm starts it again each
 * time, and no component or sandbox of an earlier run is left anywhere. And once where
 * Swarm moves the task to another node: no controller ever starts again on the old node, and
 * the old pod still leaves nothing there.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  allStackContainers,
  clusterOptions,
  controllerNode,
  deployCompose,
  dockerOn,
  figure,
  hostname,
  isComponent,
  isController,
  MANAGER,
  podCompose,
  removeStack,
  runningComponents,
  stackContainers,
  testName,
  waitFor,
} from "./lab.js";

const KILLS = 20;

describe("cluster: controller SIGKILL", clusterOptions(), () => {
  const stack = testName("ckill");
  let dir: string | undefined;
  after(async () => removeStack(stack, dir));

  test(`${KILLS} SIGKILLs of the controller leave no orphan`, async () => {
    dir = deployCompose(stack, podCompose({ constraint: "node.hostname==pl2" }));
    const runningController = () => stackContainers(2, stack).find((c) => isController(c) && c.state === "running");
    const podUp = (notThis?: string) => {
      const controller = runningController();
      if (!controller || controller.name === notThis) return undefined;
      return stackContainers(2, stack).filter((c) => isComponent(c) && c.state === "running" && c.name.startsWith(controller.name)).length === 2 ? controller.name : undefined;
    };
    let current = await waitFor("the pod on pl2", () => podUp(), 90_000);
    const started = Date.now();
    for (let i = 0; i < KILLS; i++) {
      dockerOn(2, ["kill", "--signal", "KILL", current]);
      current = await waitFor(`the pod back after kill ${i + 1}`, () => podUp(current), 90_000, 200);
    }
    figure(`${KILLS} controller SIGKILLs, pod back each time, mean`, `${((Date.now() - started) / 1000 / KILLS).toFixed(1)} s per cycle`);
    // what the earlier runs held is gone: only the current controller's containers remain
    const orphans = await waitFor("earlier runs' containers removed", () => {
      const left = allStackContainers(stack).filter((c) => !isController(c) && !c.name.startsWith(current));
      return left.length === 0 ? left : undefined;
    }, 30_000, 500).catch(() => allStackContainers(stack).filter((c) => !isController(c) && !c.name.startsWith(current)));
    figure("orphaned components or sandboxes after the kills", String(orphans.length));
    assert.deepEqual(orphans.map((c) => c.name), []);
    assert.equal(allStackContainers(stack).filter((c) => isComponent(c) && c.state === "running").length, 2);
  });

  test("a SIGKILLed controller whose task Swarm moves to another node leaves nothing of its pod on the old node", async () => {
    const moved = testName("ckmove");
    let movedDir: string | undefined;
    let paused: number | undefined;
    try {
      movedDir = deployCompose(moved, podCompose({ constraint: "node.role==worker" }));
      const old = await waitFor("the pod on a worker", () => {
        const node = controllerNode(moved);
        return node !== undefined && runningComponents(moved).get(node) === 2 ? node : undefined;
      }, 90_000);
      const controller = stackContainers(old, moved).find((c) => isController(c) && c.state === "running")!;
      // paused: the task stays until it dies, and Swarm places its replacement elsewhere
      dockerOn(MANAGER, ["node", "update", "--availability", "pause", hostname(old)]);
      paused = old;
      const killed = Date.now();
      dockerOn(old, ["kill", "--signal", "KILL", controller.name]);
      const podLeft = () => stackContainers(old, moved).filter((c) => !isController(c));
      const left = await waitFor("nothing of the old pod on the old node", () => (podLeft().length === 0 ? [] : undefined), 60_000, 200).catch(() => podLeft());
      figure("controller SIGKILL, task moved: seconds until the old node holds 0 containers of the pod", ((Date.now() - killed) / 1000).toFixed(1));
      assert.deepEqual(left.map((c) => `${c.name} (${c.state})`), []);
      const other = await waitFor("the pod on another node", () => {
        const node = controllerNode(moved);
        return node !== undefined && node !== old && runningComponents(moved).get(node) === 2 ? node : undefined;
      }, 90_000);
      figure("controller SIGKILL, task moved: seconds until the pod runs on another node", ((Date.now() - killed) / 1000).toFixed(1));
      assert.notEqual(other, old);
      assert.equal(stackContainers(old, moved).filter((c) => isController(c) && c.state === "running").length, 0, "no controller started again on the old node");
    } finally {
      if (paused !== undefined) dockerOn(MANAGER, ["node", "update", "--availability", "active", hostname(paused)], { allowFail: true });
      await removeStack(moved, movedDir);
    }
  });
});
