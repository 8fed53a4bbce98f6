/**
 * Rolling updates of a two-replica pod in both orders: after each, exactly the new pods run,
 * and no component or sandbox of an old one is left on any node.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { allStackContainers, clusterOptions, deployCompose, figure, isComponent, isController, podCompose, removeStack, testName, waitFor } from "./lab.js";

describe("cluster: rolling updates", clusterOptions(), () => {
  const stack = testName("croll");
  const dirs: string[] = [];
  after(async () => {
    await removeStack(stack);
    for (const dir of dirs) await removeStack(stack, dir);
  });

  const compose = (order: string, generation: number) =>
    podCompose({ replicas: 2, constraint: "node.role==worker", extraDeploy: ["update_config: {parallelism: 1, delay: 0s, order: " + order + "}"] }).replace(
      "    command: sleep 86400\n",
      `    command: sleep 86400\n    environment: [GENERATION=${generation}]\n`,
    );

  const podOnly = (all = allStackContainers(stack)) => all.filter((c) => !isController(c));

  let generation = 0;
  for (const order of ["start-first", "stop-first"]) {
    test(`${order}: the update leaves exactly the new pods and nothing of the old ones`, async () => {
      generation++;
      dirs.push(deployCompose(stack, compose(order, generation)));
      await waitFor("two pods running", () => allStackContainers(stack).filter((c) => isComponent(c) && c.state === "running").length === 4, 90_000);
      const before = new Set(podOnly().map((c) => c.name));
      generation++;
      const started = Date.now();
      dirs.push(deployCompose(stack, compose(order, generation)));
      figure(`${order} update of 2 replicas converged (podlike deploy waits)`, `${((Date.now() - started) / 1000).toFixed(1)} s`);
      const settled = await waitFor("only the new pods' containers", () => {
        const pod = podOnly();
        return pod.length === 6 && pod.every((c) => c.state === "running" && !before.has(c.name)) ? pod : undefined;
      }, 60_000, 500).catch(() => podOnly());
      const leftovers = settled.filter((c) => before.has(c.name) || c.state !== "running");
      figure(`${order}: components or sandboxes of old pods left`, String(leftovers.length));
      assert.deepEqual(leftovers.map((c) => `${c.name} ${c.state}`), []);
      assert.equal(settled.filter(isComponent).length, 4, "two components per replica");
      assert.equal(allStackContainers(stack).filter((c) => isController(c) && c.state === "running").length, 2, "two controllers");
    });
  }
});
