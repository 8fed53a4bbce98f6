import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { listStack } from "../../src/deploy/ps.js";
import type { Engine } from "../../src/deploy/engine-client.js";

const CONTROLLER = "c0ffee".padEnd(64, "0");

function container(name: string, role: string) {
  return {
    Id: `${name}-id`,
    State: "running",
    Status: "Up 2 seconds",
    Labels: { "podlike.controller": CONTROLLER, "podlike.component": name, "podlike.role": role },
  };
}

function engineWith(containers: unknown[]): Engine {
  const docker = {
    listServices: async () => [
      { ID: "s1", Spec: { Name: "st_app", Mode: { Replicated: { Replicas: 1 } }, TaskTemplate: { ContainerSpec: { Image: "ctl", Labels: { "pod.component.web": "image: x" } } } } },
    ],
    listTasks: async () => [
      { ID: "t1", ServiceID: "s1", Slot: 1, NodeID: "n1", DesiredState: "running", CreatedAt: "1", Status: { State: "running", ContainerStatus: { ContainerID: CONTROLLER } } },
    ],
    listNodes: async () => [{ ID: "n1", Description: { Hostname: "vm" } }],
    listContainers: async () => containers,
  };
  return { docker, target: { address: "unix:///fake", options: {} } } as unknown as Engine;
}

describe("ps", () => {
  test("a pod's components are the declared ones and its init members, not the pod's sandbox", async () => {
    const services = await listStack(engineWith([container("web", "component"), container("setup", "init"), container("sandbox", "sandbox")]), "st");
    const components = services[0]!.tasks[0]!.components!.map((c) => c.name);
    assert.deepEqual(components, ["setup", "web"]);
  });
});
