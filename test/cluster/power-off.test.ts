/**
 * A worker loses power with a pod on it: the pod fails over to another node, and once the
 * worker boots again nothing of the old pod stays there, although no controller of the pod
 * ever runs on it again (the pod is pinned away from it).
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { allStackContainers, clusterOptions, controllerNode, deployCompose, dockerOn, fault, figure, hostname, isComponent, isController, podCompose, removeStack, stackContainers, testName, waitFor, sleep } from "./lab.js";

describe("cluster: power-off, then boot", clusterOptions(), () => {
  const stack = testName("cpo");
  let dir: string | undefined;
  after(async () => removeStack(stack, dir));

  test("components run elsewhere after the power-off, and 60 s after the boot the node holds nothing of the old pod", async () => {
    dir = deployCompose(stack, podCompose({ constraint: "node.role==worker" }));
    const victim = await waitFor("the pod running on a worker", () => {
      const node = controllerNode(stack);
      return node && stackContainers(node, stack).filter((c) => isComponent(c) && c.state === "running").length === 2 ? node : undefined;
    }, 90_000);
    const other = victim === 2 ? 3 : 2;
    // the other worker must not run it again after the boot: keep it where it fails over to
    const poweredOff = Date.now();
    fault(victim, "poweroff");
    await waitFor("both components running on the other worker", () => stackContainers(other, stack).filter((c) => isComponent(c) && c.state === "running").length === 2, 90_000, 200);
    const failover = (Date.now() - poweredOff) / 1000;
    figure("failover (power-off until all components run elsewhere)", `${failover.toFixed(1)} s`);
    dockerOn(1, ["node", "update", "--availability", "pause", hostname(victim)]);
    try {
      await sleep(2000);
      const booted = Date.now();
      fault(victim, "start");
      // the old controller's own container is Swarm's, kept as task history like any service's
      const podLeft = () => stackContainers(victim, stack).filter((c) => !isController(c));
      const cleared = await waitFor("no component or sandbox of the old pod on the booted node", () => podLeft().length === 0 && Date.now(), 60_000, 500);
      figure("leftovers on the booted node gone after", `${((cleared - booted) / 1000).toFixed(1)} s (limit 60 s)`);
      await sleep(5000);
      assert.deepEqual(podLeft(), [], "nothing comes back");
      figure("old controller containers kept by Swarm as task history on the booted node", String(stackContainers(victim, stack).length));
      assert.equal(allStackContainers(stack).filter(isComponent).length, 2, "one pod in the cluster");
    } finally {
      dockerOn(1, ["node", "update", "--availability", "active", hostname(victim)], { allowFail: true });
    }
  });
});
