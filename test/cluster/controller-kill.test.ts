/**
 * The controller is killed with SIGKILL twenty times on a worker: Swarm starts it again each
 * time, and no component or IPC holder of an earlier run is left anywhere.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { allStackContainers, clusterOptions, deployCompose, dockerOn, figure, isComponent, isController, podCompose, removeStack, stackContainers, testName, waitFor } from "./lab.js";

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
    figure("orphaned components or IPC holders after the kills", String(orphans.length));
    assert.deepEqual(orphans.map((c) => c.name), []);
    assert.equal(allStackContainers(stack).filter((c) => isComponent(c) && c.state === "running").length, 2);
  });
});
