/**
 * A worker is cut off from the others while it runs a pod: Swarm starts the pod again
 * elsewhere, and once the cable is back the old copy goes away: one pod per replica.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { allStackContainers, clusterOptions, deployCompose, fault, figure, isComponent, isController, podCompose, removeStack, restoreNodes, stackContainers, testName, waitFor } from "./lab.js";

describe("cluster: partition, then heal", clusterOptions(), () => {
  const stack = testName("cpart");
  let dir: string | undefined;
  after(async () => removeStack(stack, dir));

  test("after the heal every replica runs exactly once", async () => {
    dir = deployCompose(stack, podCompose({ replicas: 2, constraint: "node.role==worker" }));
    const running = () => allStackContainers(stack).filter((c) => c.state === "running");
    await waitFor("two pods running", () => running().filter(isComponent).length === 4, 90_000);
    const victim = running().find(isController)!.node;
    const other = victim === 2 ? 3 : 2;
    const cut = Date.now();
    fault(victim, "cut");
    try {
      await waitFor("both replicas on the other worker", () => stackContainers(other, stack).filter((c) => isComponent(c) && c.state === "running").length === 4, 90_000, 250);
      figure("partition until the lost replicas run on the other worker", `${((Date.now() - cut) / 1000).toFixed(1)} s`);
    } finally {
      const healed = Date.now();
      fault(victim, "heal");
      await waitFor("the cut-off node's copies gone", () => stackContainers(victim, stack).filter((c) => c.state === "running").length === 0, 90_000, 250);
      figure("heal until the old copies are gone", `${((Date.now() - healed) / 1000).toFixed(1)} s`);
      restoreNodes();
    }
    const left = await waitFor("exactly two pods", () => {
      const all = allStackContainers(stack);
      return all.filter((c) => isController(c) && c.state === "running").length === 2 && all.filter((c) => !isController(c)).length === 6 ? all : undefined;
    }, 60_000, 500).catch(() => allStackContainers(stack));
    assert.equal(left.filter((c) => isController(c) && c.state === "running").length, 2, "one controller per replica");
    assert.equal(left.filter((c) => isComponent(c)).length, 4, "two components per replica, no leftover");
    assert.equal(left.filter((c) => !isController(c) && !isComponent(c)).length, 2, "one sandbox per replica");
  });
});
