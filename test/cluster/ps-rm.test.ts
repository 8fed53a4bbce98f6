/**
 * One view across nodes, and nothing left after `podlike rm`: three pods spread over the
 * three nodes, seen through the manager alone.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { allStackContainers, clusterOptions, deployCompose, fault, figure, hostname, isComponent, NODES, podCompose, podlike, removeStack, restoreNodes, testName, waitFor } from "./lab.js";

describe("cluster: ps on every node, rm everywhere", clusterOptions(), () => {
  const stack = testName("cps");
  let dir: string | undefined;
  after(async () => removeStack(stack, dir));

  test("podlike ps shows the components of pods on worker nodes, and says which node is down", async () => {
    dir = deployCompose(stack, podCompose({ replicas: 3, extraDeploy: ["placement:", "  max_replicas_per_node: 1"] }));
    await waitFor("a pod with both components on every node", () => NODES.every((n) => allStackContainers(stack, [n]).filter((c) => isComponent(c) && c.state === "running").length === 2), 90_000);
    const json = await waitFor("every pod's published state", () => {
      const services = JSON.parse(podlike(["ps", stack, "--format", "json"]).stdout);
      const tasks = services[0].tasks;
      return tasks.length === 3 && tasks.every((t: any) => t.components?.length === 2) ? tasks : undefined;
    }, 60_000);
    assert.deepEqual(json.map((t: any) => t.node).sort(), NODES.map(hostname));
    for (const task of json) {
      assert.deepEqual(task.components.map((c: any) => c.name), ["idle", "server"]);
      assert.ok(task.components.every((c: any) => c.state === "running"), JSON.stringify(task.components));
    }
    const table = podlike(["ps", stack]).stdout;
    for (const n of [2, 3]) assert.match(table, new RegExp(`server\\s+component\\s+${hostname(n)}\\s+running`));

    fault(3, "cut");
    try {
      const started = Date.now();
      const shown = await waitFor("ps to say pl3 is down", () => {
        const out = podlike(["ps", stack]).stdout;
        return /node pl3 is down/.test(out) ? out : undefined;
      }, 60_000, 1000);
      figure("ps names the partitioned node after", `${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.match(shown, /pl3\s+\S+\s+running\s+replaced, still running/, "the copy on the cut-off node stays listed");
    } finally {
      restoreNodes();
    }
  });

  test("podlike rm leaves no container of the stack on any node", async () => {
    assert.ok(allStackContainers(stack).length > 0, "the stack ran");
    const started = Date.now();
    podlike(["rm", stack]);
    await waitFor("no container of the stack on any node", () => allStackContainers(stack).length === 0, 60_000, 500);
    figure("podlike rm until 0 containers on 3 nodes", `${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
