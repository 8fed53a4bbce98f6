/**
 * The engine under a pod goes away: killed for 20 s (the pod's host-mode port keeps
 * answering), and stopped cleanly (the controller ends as on a signal: exit 0, no failed task).
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { clusterOptions, deployCompose, dockerOn, fault, figure, httpAnswers, isComponent, isController, podCompose, removeStack, restoreNodes, sleep, stackContainers, testName, waitFor } from "./lab.js";

const NODE = 2;
const PORT = 18080;

describe("cluster: the engine goes away under a pod", clusterOptions(), () => {
  const stack = testName("ceng");
  let dir: string | undefined;
  after(async () => removeStack(stack, dir));

  test("engine killed for 20 s: the pod's published port answers throughout", async () => {
    dir = deployCompose(stack, podCompose({ constraint: `node.hostname==pl${NODE}`, port: PORT }));
    await waitFor("the pod's port answering", () => httpAnswers(NODE, PORT), 90_000, 500);
    const probes: boolean[] = [];
    fault(NODE, "kill");
    try {
      const end = Date.now() + 20_000;
      while (Date.now() < end) {
        probes.push(httpAnswers(NODE, PORT));
        await sleep(500);
      }
    } finally {
      fault(NODE, "start");
    }
    const missed = probes.filter((ok) => !ok).length;
    figure("engine killed 20 s: probes answered", `${probes.length - missed}/${probes.length}`);
    const after = Date.now();
    const backSince = await waitFor("the port answering after the engine is back", () => httpAnswers(NODE, PORT) && Date.now(), 60_000, 500);
    figure("port answering again after the engine start", `${((backSince - after) / 1000).toFixed(1)} s`);
    assert.equal(missed, 0, `${missed} of ${probes.length} probes got no answer while the engine was down`);
  });

  test("engine stopped cleanly: the controller exits 0 and Swarm records no failed task", async () => {
    await waitFor("the pod running", () => stackContainers(NODE, stack).filter((c) => isComponent(c) && c.state === "running").length === 2, 90_000);
    const controller = stackContainers(NODE, stack).find((c) => isController(c) && c.state === "running")!;
    fault(NODE, "stop");
    try {
      await sleep(1000);
    } finally {
      restoreNodes();
    }
    await waitFor("the old controller's exit recorded", () => dockerOn(NODE, ["inspect", "--format", "{{.State.Status}}", controller.name], { allowFail: true }) === "exited", 60_000, 500);
    const exitCode = dockerOn(NODE, ["inspect", "--format", "{{.State.ExitCode}}", controller.name]);
    const tasks = dockerOn(1, ["service", "ps", `${stack}_web`, "--format", "{{.CurrentState}}|{{.Error}}"]);
    figure("engine stop: controller exit code", exitCode);
    figure("engine stop: task states", tasks.split("\n").join(", "));
    assert.equal(exitCode, "0");
    assert.doesNotMatch(tasks, /Failed/, "no failed task");
  });
});
