import { test } from "node:test";
import assert from "node:assert/strict";
import { planPod } from "../../src/controller/plan.js";
import { DEFAULT_FLAGS } from "../../src/controller/flags.js";
import type { ContainerInfo } from "../../src/engine/container-engine.js";

// A node that loses power or its engine cannot count on a controller to clean up after it: the
// engine itself removes AutoRemove containers when it restores them (verified on Engine 20.10
// with scripts/lab: power-off, SIGTERM and SIGKILL of dockerd all leave none behind).
const controller: ContainerInfo = {
  id: "c".repeat(64), name: "web.1.x", imageId: "sha256:" + "1".repeat(64),
  labels: {
    "pod.component.app": "image: busybox",
    "pod.init.components": JSON.stringify([{ image: "busybox", command: "true", "x-podlike-name": "migrate" }]),
  },
  running: true, status: "running", exitCode: 0, ipcMode: "private", pidMode: "", networkMode: "default", cgroupParent: "", mounts: [], tty: false,
};

test("components and the sandbox are created for the engine to remove once they stop", () => {
  const plan = planPod(controller, DEFAULT_FLAGS);
  assert.equal(plan.components[0]!.body.HostConfig!.AutoRemove, true);
  assert.equal(plan.holder!.body.HostConfig!.AutoRemove, true);
});

test("an init component is removed by the engine too: a node that loses power during the init step keeps nothing of it", () => {
  const plan = planPod(controller, DEFAULT_FLAGS);
  assert.equal(plan.init[0]!.name, "migrate");
  assert.equal(plan.init[0]!.body.HostConfig!.AutoRemove, true);
});
