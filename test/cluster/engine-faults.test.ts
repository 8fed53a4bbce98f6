/**
 * The engine under a pod goes away: killed for 20 s (the pod's host-mode port keeps
 * answering), and stopped cleanly (the controller ends as on a signal: exit 0, no failed task).
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { MANAGER, clusterOptions, deployCompose, dockerOn, fault, figure, httpAnswers, isComponent, isController, podCompose, removeStack, restoreNodes, sleep, stackContainers, testName, waitFor } from "./lab.js";

const NODE = 2;
const PORT = 18080;
/** The task states Swarm records once a task's container is done. */
const TASK_ENDED = new Set(["complete", "failed", "shutdown", "rejected", "orphaned", "remove"]);
/** Of those, the ones that are no failure: the container exited 0, or Swarm had asked it to stop. */
const TASK_ENDED_WELL = new Set(["complete", "shutdown"]);

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
    // the manager's record of the controller's task is the verdict: it holds the exit code even
    // when the node's engine, back from its stop, is slow to answer or has already pruned the container
    const task = dockerOn(NODE, ["inspect", "--format", '{{index .Config.Labels "com.docker.swarm.task.id"}}', controller.name]);
    fault(NODE, "stop");
    try {
      await sleep(1000);
    } finally {
      restoreNodes();
    }
    let seen = "";
    const ended = await waitFor(
      "Swarm recording the end of the stopped controller's task",
      () => {
        seen = dockerOn(MANAGER, ["inspect", "--format", "{{.Status.State}}|{{.Status.ContainerStatus.ExitCode}}|{{.Status.Err}}", task], { allowFail: true, timeout: 15_000 });
        const [state] = seen.split("|");
        return TASK_ENDED.has(state!) && seen;
      },
      180_000,
      500,
    ).catch((error: Error) => {
      const node = dockerOn(NODE, ["ps", "-a", "--filter", `name=${stack}_`, "--format", "{{.Names}} {{.State}} {{.Status}}"], { allowFail: true, timeout: 15_000 });
      throw new Error(`${error.message}; the task last read "${seen || "(no answer)"}"; node pl${NODE} holds: ${node || "(no answer)"}`);
    });
    const [state, exitCode, why] = ended.split("|");
    const tasks = dockerOn(MANAGER, ["service", "ps", `${stack}_web`, "--format", "{{.CurrentState}}|{{.Error}}"]);
    figure("engine stop: controller task", `${state}, exit code ${exitCode}${why ? `, ${why}` : ""}`);
    figure("engine stop: task states", tasks.split("\n").join(", "));
    // the node keeps the container as task history unless it pruned it already; when kept, it must agree
    const container = dockerOn(NODE, ["inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", controller.name], { allowFail: true, timeout: 15_000 });
    figure("engine stop: the controller's container on the node", container || "(pruned)");
    assert.equal(exitCode, "0", `the controller's task ended ${state} with exit code ${exitCode}: ${why}`);
    assert.ok(TASK_ENDED_WELL.has(state!), `the controller's task ended ${state}: ${why}`);
    if (container) assert.equal(container, "exited 0");
    assert.doesNotMatch(tasks, /Failed/, "no failed task");
  });
});
