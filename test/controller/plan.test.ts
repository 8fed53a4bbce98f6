import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { volumeNames } from "../../src/controller/plan.js";
import type { ContainerInfo } from "../../src/engine/container-engine.js";

describe("volumes and mounts of the pod", () => {
  test("a component's volume name resolves to the stack volume the controller has mounted", () => {
    const controller = { mounts: [{ type: "volume", name: "mystack_app_logs", source: "", destination: "/l", readOnly: false }, { type: "bind", source: "/var/run/docker.sock", destination: "/var/run/docker.sock", readOnly: false }] } as unknown as ContainerInfo;
    assert.deepEqual(volumeNames(controller), { mystack_app_logs: "mystack_app_logs", app_logs: "mystack_app_logs", logs: "mystack_app_logs" });
  });

  test("a volume mounted where convert puts it maps exactly, even when its real name is unrelated", () => {
    const controller = { mounts: [
      { type: "volume", name: "shared-data-prod", source: "", destination: "/run/podlike/volumes/data", readOnly: false },
      { type: "volume", name: "mystack_logs", source: "", destination: "/run/podlike/volumes/logs", readOnly: false },
    ] } as unknown as ContainerInfo;
    const names = volumeNames(controller);
    assert.equal(names.data, "shared-data-prod");
    assert.equal(names.logs, "mystack_logs");
  });
});
