/**
 * A controller killed with SIGKILL takes its pod with it, with the engine up
 * and no controller ever starting again: the sandbox (and the secrets'
 * keeper) end with the controller's link, the kernel kills the pod's
 * processes, and the engine auto-removes every container. What a pod still
 * leaves when its members do not share the sandbox's PID namespace is
 * asserted too.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";
import { component, ensureControllerImage, exitCodeOf, podContainers, removePod, runController, waitFor } from "../controller/e2e-support.js";
import { folderWith } from "../support/folders.js";

/** The product's promise: a node holds nothing of a dead pod within 60 s (DESIGN §3.3). */
const BOUND_MS = 60_000;

// no `init: true` and no TERM trap: only the kernel's kill of the PID namespace ends these
const SLEEPER = component([`image: ${BUSYBOX}`, "command: sleep 3600"]);

describe("controller SIGKILL on a real engine", e2eOptions(), () => {
  const created: { name: string; id: string }[] = [];
  const start = (purpose: string, options: Parameters<typeof runController>[1]) => {
    const name = testName(purpose);
    const id = runController(name, options);
    created.push({ name, id });
    return { name, id };
  };
  const running = (id: string, count: number) => () => podContainers(id).filter((c) => c.state === "running").length === count;

  before(() => ensureControllerImage());
  after(() => {
    for (const { name, id } of created) {
      removePod(name, id);
      // a killed controller's secret volumes (empty: their tmpfs went with the keeper) wait for the next controller's sweep
      const volumes = docker(["volume", "ls", "-q", "--filter", `label=podlike.controller=${id}`]).split("\n").filter(Boolean);
      if (volumes.length) docker(["volume", "rm", "-f", ...volumes], { allowFail: true });
    }
  });

  /** Kills the controller and returns the seconds until none of its pod's containers remain. */
  async function killAndWait(name: string, id: string): Promise<number> {
    const killed = Date.now();
    docker(["kill", "--signal", "KILL", name]);
    await exitCodeOf(name);
    await waitFor("no container of the pod left", () => podContainers(id).length === 0, BOUND_MS, 250).catch(() => {
      assert.fail(`left after ${BOUND_MS / 1000} s: ${podContainers(id).map((c) => `${c.name} (${c.state})`).join(", ")}`);
    });
    const seconds = (Date.now() - killed) / 1000;
    assert.equal(docker(["inspect", "--format", "{{.State.Status}}", name]), "exited", "no controller started again");
    return seconds;
  }

  test("default pod: components and sandbox are gone within the bound, the controller not restarted", async (t) => {
    const { name, id } = start("kill-pod", { labels: { "pod.component.app": SLEEPER, "pod.component.web": SLEEPER } });
    await waitFor("the pod running (two components and the sandbox)", running(id, 3), 60_000);
    const seconds = await killAndWait(name, id);
    t.diagnostic(`SIGKILL to 0 containers: ${seconds.toFixed(1)} s`);
  });

  test("secrets: the keeper goes too", async (t) => {
    const dir = folderWith({ token: "t0k3n" });
    const { name, id } = start("kill-keeper", {
      labels: {
        "pod.component.app": SLEEPER,
        "pod.copy.app": `- {source: /run/podlike/app/secrets/token, target: /run/secrets/token}`,
      },
      dockerArgs: ["-v", `${join(dir, "token")}:/run/podlike/app/secrets/token:ro`],
    });
    await waitFor("the pod running (component, sandbox and keeper)", running(id, 3), 60_000);
    const seconds = await killAndWait(name, id);
    t.diagnostic(`SIGKILL to 0 containers, with a keeper: ${seconds.toFixed(1)} s`);
  });

  test("--no-pids --ipc: the sandbox goes; components in PID namespaces of their own are left for the next controller", async () => {
    const { name, id } = start("kill-nopids", { labels: { "pod.component.app": SLEEPER }, flags: ["--no-pids"] });
    await waitFor("the pod running (component and sandbox)", running(id, 2), 60_000);
    docker(["kill", "--signal", "KILL", name]);
    await exitCodeOf(name);
    await waitFor("the sandbox gone", () => !podContainers(id).some((c) => c.name.endsWith(".podlike-sandbox")), BOUND_MS, 250);
  });
});
