import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { planPod } from "../../src/controller/plan.js";
import { DEFAULT_FLAGS } from "../../src/controller/flags.js";
import type { ContainerInfo } from "../../src/engine/container-engine.js";

describe("the pod sandbox", () => {
  const controller: ContainerInfo = {
    id: "c".repeat(64), name: "web", imageId: "sha256:" + "1".repeat(64), labels: { "pod.component.app": "image: busybox" },
    running: true, status: "running", exitCode: 0, ipcMode: "private", pidMode: "", networkMode: "default", cgroupParent: "", mounts: [], tty: false,
  };

  test("runs the controller's own image: podlike-pause when the image has it, node otherwise; never the image's health check", () => {
    const withPause = planPod(controller, DEFAULT_FLAGS, { pauseProgram: "/usr/local/bin/podlike-pause" }).holder!;
    assert.equal(withPause.name, "web.podlike-sandbox");
    assert.equal(withPause.body.Image, controller.imageId);
    assert.deepEqual(withPause.body.Entrypoint, ["/usr/local/bin/podlike-pause", withPause.link]);
    assert.deepEqual(withPause.body.Healthcheck, { Test: ["NONE"] });
    const withoutPause = planPod(controller, DEFAULT_FLAGS).holder!;
    assert.equal((withoutPause.body.Entrypoint as string[])[0], "node");
    assert.equal((withoutPause.body.Entrypoint as string[]).at(-1), withoutPause.link);
  });

  test("each plan names a fresh link: no other pod's sandbox, nor anything guessing, holds its socket", () => {
    const a = planPod(controller, DEFAULT_FLAGS).holder!.link;
    const b = planPod(controller, DEFAULT_FLAGS).holder!.link;
    assert.match(a, /^podlike-link-[0-9a-f]{24}$/);
    assert.notEqual(a, b);
  });

  test("owns a PID namespace of its own and a shareable IPC namespace, in the controller's network namespace", () => {
    const host = planPod(controller, DEFAULT_FLAGS).holder!.body.HostConfig!;
    assert.equal(host.PidMode, "");
    assert.equal(host.IpcMode, "shareable");
    assert.equal(host.NetworkMode, `container:${controller.id}`);
  });

  test("components join it for PIDs and IPC as the flags say; without either there is no sandbox", () => {
    const hostOf = (flags: Partial<typeof DEFAULT_FLAGS>) => planPod(controller, { ...DEFAULT_FLAGS, ...flags }).components[0]!.body.HostConfig!;
    assert.equal(hostOf({}).PidMode, "container:web.podlike-sandbox");
    assert.equal(hostOf({}).IpcMode, "container:web.podlike-sandbox");
    assert.equal(hostOf({ pids: false }).PidMode, undefined);
    assert.equal(hostOf({ pids: false }).IpcMode, "container:web.podlike-sandbox");
    assert.equal(hostOf({ ipc: false }).IpcMode, undefined);
    assert.equal(hostOf({ ipc: false }).PidMode, "container:web.podlike-sandbox");
    assert.equal(planPod(controller, { ...DEFAULT_FLAGS, pids: false, ipc: false }).holder, undefined);
  });
});
