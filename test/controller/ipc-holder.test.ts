import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { planPod } from "../../src/controller/plan.js";
import { DEFAULT_FLAGS } from "../../src/controller/flags.js";
import type { ContainerInfo } from "../../src/engine/container-engine.js";

describe("the IPC holder", () => {
  const controller: ContainerInfo = {
    id: "c".repeat(64), name: "web", imageId: "sha256:" + "1".repeat(64), labels: { "pod.component.app": "image: busybox" },
    running: true, status: "running", exitCode: 0, ipcMode: "private", pidMode: "", networkMode: "default", cgroupParent: "", mounts: [], tty: false,
  };

  test("runs the controller's own image: podlike-pause when the image has it, node otherwise; never the image's health check", () => {
    const withPause = planPod(controller, DEFAULT_FLAGS, { pauseProgram: "/usr/local/bin/podlike-pause" }).holder!;
    assert.equal(withPause.name, "web.podlike-ipc");
    assert.equal(withPause.body.Image, controller.imageId);
    assert.deepEqual(withPause.body.Entrypoint, ["/usr/local/bin/podlike-pause"]);
    assert.deepEqual(withPause.body.Healthcheck, { Test: ["NONE"] });
    assert.equal(withPause.body.HostConfig!.IpcMode, "shareable");
    assert.equal(withPause.body.HostConfig!.NetworkMode, `container:${controller.id}`);
    const withoutPause = planPod(controller, DEFAULT_FLAGS).holder!;
    assert.equal((withoutPause.body.Entrypoint as string[])[0], "node");
    assert.equal(planPod({ ...controller, ipcMode: "shareable" }, DEFAULT_FLAGS).holder, undefined);
  });
});
