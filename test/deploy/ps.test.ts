import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { listStack } from "../../src/deploy/ps.js";
import { formatStatusLine } from "../../src/controller/status-line.js";
import { EngineError } from "../../src/engine/errors.js";
import { FakeSwarm } from "../support/fake-swarm.js";
import { serviceLogFrame } from "../support/stream-frames.js";

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

function engineWith(containers: FakeSwarm["containers"], logDriver?: string): FakeSwarm {
  const swarm = new FakeSwarm();
  swarm.services.set("s1", {
    id: "s1",
    name: "st_app",
    version: 1,
    spec: {
      Name: "st_app",
      Labels: { "com.docker.stack.namespace": "st" },
      Mode: { Replicated: { Replicas: 1 } },
      TaskTemplate: { ContainerSpec: { Image: "ctl", Labels: { "pod.component.web": "image: x" } }, ...(logDriver ? { LogDriver: { Name: logDriver } } : {}) },
    },
  });
  swarm.tasks = [{ id: "t1", serviceId: "s1", slot: 1, nodeId: "node1", desiredState: "running", createdAt: "1", state: "running", containerId: CONTROLLER }];
  swarm.containers = containers;
  return swarm;
}

/** Task output as the manager relays it: one frame per line, each line timestamped. */
function frames(...lines: string[]): Buffer {
  return Buffer.concat(lines.map(serviceLogFrame));
}

const published = (components: Record<string, string>, status = "healthy") => formatStatusLine({ status: status as "healthy", components, updated: "2026-11-29T10:00:00.000Z" }).trimEnd();

describe("ps", () => {
  test("without a published status, a pod's components on the local engine are the declared ones and its init members, not the pod's sandbox or secret keeper", async () => {
    const services = await listStack(engineWith([container("web", "component"), container("setup", "init"), container("sandbox", "sandbox"), container("secrets", "secrets")]), "st");
    const components = services[0]!.tasks[0]!.components!.map((c) => c.name);
    assert.deepEqual(components, ["setup", "web"]);
  });

  test("a pod on another node shows the component states its controller last published, through the manager alone", async () => {
    const swarm = engineWith([]);
    swarm.taskOutput.set("t1", frames(published({ web: "starting" }, "starting"), "web | serving", published({ web: "healthy", db: "exited (3)" }, "unhealthy")));
    const task = (await listStack(swarm, "st"))[0]!.tasks[0]!;
    assert.equal(task.podStatus, "unhealthy");
    assert.deepEqual(task.components, [{ name: "db", state: "exited (3)" }, { name: "web", state: "healthy" }]);
    assert.equal(task.componentsUnknown, undefined);
  });

  test("a pod whose node is down says so, and a replaced copy last seen running on it stays in the list", async () => {
    const swarm = engineWith([]);
    swarm.nodes.push({ id: "node3", hostname: "pl3", role: "worker", state: "down", availability: "active", address: "10.0.0.3" });
    swarm.tasks = [
      { id: "new", serviceId: "s1", slot: 1, nodeId: "node1", desiredState: "running", createdAt: "2", state: "running" },
      { id: "old", serviceId: "s1", slot: 1, nodeId: "node3", desiredState: "shutdown", createdAt: "1", state: "running" },
    ];
    swarm.taskOutput.set("new", frames(published({ web: "running" })));
    const [current, replaced] = (await listStack(swarm, "st"))[0]!.tasks;
    assert.deepEqual(swarm.taskLogRequests, ["new"], "a node that is down is never asked: the engine would wait for it");
    assert.deepEqual(current!.components, [{ name: "web", state: "running" }]);
    assert.equal(current!.restarts, 1);
    assert.equal(replaced!.id, "old");
    assert.equal(replaced!.replaced, true);
    assert.match(replaced!.componentsUnknown!, /node pl3 is down/);
  });

  test("output that cannot be read back names the logging driver and the engine's reason", async () => {
    const swarm = engineWith([], "none");
    swarm.taskOutput.set("t1", new EngineError("configured logging driver does not support reading", 500));
    const task = (await listStack(swarm, "st"))[0]!.tasks[0]!;
    assert.match(task.componentsUnknown!, /logging driver none.*does not support reading/);
  });

  test("a controller that published nothing lately is reported as such", async () => {
    const task = (await listStack(engineWith([]), "st"))[0]!.tasks[0]!;
    assert.equal(task.components, undefined);
    assert.match(task.componentsUnknown!, /published no status in the last \d+ s/);
  });
});
