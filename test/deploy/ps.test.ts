import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { listStack } from "../../src/deploy/ps.js";
import { FakeSwarm } from "../support/fake-swarm.js";

const CONTROLLER = "c0ffee".padEnd(64, "0");

function container(name: string, role: string) {
  return {
    id: `${name}-id`,
    name,
    state: "running",
    status: "Up 2 seconds",
    labels: { "podlike.controller": CONTROLLER, "podlike.component": name, "podlike.role": role },
  };
}

function engineWith(containers: FakeSwarm["containers"]): FakeSwarm {
  const swarm = new FakeSwarm();
  swarm.services.set("s1", {
    id: "s1",
    name: "st_app",
    version: 1,
    spec: { Name: "st_app", Labels: { "com.docker.stack.namespace": "st" }, Mode: { Replicated: { Replicas: 1 } }, TaskTemplate: { ContainerSpec: { Image: "ctl", Labels: { "pod.component.web": "image: x" } } } },
  });
  swarm.tasks = [{ id: "t1", serviceId: "s1", slot: 1, nodeId: "node1", desiredState: "running", createdAt: "1", state: "running", containerId: CONTROLLER }];
  swarm.containers = containers;
  return swarm;
}

describe("ps", () => {
  test("a pod's components are the declared ones and its init members, not the IPC holder", async () => {
    const services = await listStack(engineWith([container("web", "component"), container("setup", "init"), container("ipc-holder", "ipc-holder")]), "st");
    const components = services[0]!.tasks[0]!.components!.map((c) => c.name);
    assert.deepEqual(components, ["setup", "web"]);
  });
});
