import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { listStack } from "../../src/deploy/ps.js";
import { formatStatusLine } from "../../src/controller/status-line.js";
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

/** One frame of a Swarm task's log stream, as the manager relays it. */
function frame(line: string): Buffer {
  const body = Buffer.from(`2026-11-29T10:00:00.000000000Z ${line}\n`);
  const header = Buffer.alloc(8);
  header[0] = 1;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

interface Fake {
  containers?: unknown[];
  tasks?: unknown[];
  nodes?: unknown[];
  logs?: (taskId: string) => Promise<Buffer>;
  logDriver?: string;
}

function engineWith(fake: Fake): Engine {
  const docker = {
    listServices: async () => [
      {
        ID: "s1",
        Spec: {
          Name: "st_app",
          Mode: { Replicated: { Replicas: 1 } },
          TaskTemplate: { ContainerSpec: { Image: "ctl", Labels: { "pod.component.web": "image: x" } }, ...(fake.logDriver ? { LogDriver: { Name: fake.logDriver } } : {}) },
        },
      },
    ],
    listTasks: async () =>
      fake.tasks ?? [{ ID: "t1", ServiceID: "s1", Slot: 1, NodeID: "n1", DesiredState: "running", CreatedAt: "1", Status: { State: "running", ContainerStatus: { ContainerID: CONTROLLER } } }],
    listNodes: async () => fake.nodes ?? [{ ID: "n1", Description: { Hostname: "vm" }, Status: { State: "ready" } }],
    listContainers: async () => fake.containers ?? [],
    getTask: (id: string) => ({ logs: async () => (fake.logs ? fake.logs(id) : Buffer.alloc(0)) }),
  };
  return { docker, target: { address: "unix:///fake", options: {} } } as unknown as Engine;
}

const published = (components: Record<string, string>, status = "healthy") => formatStatusLine({ status: status as "healthy", components, updated: "2026-11-29T10:00:00.000Z" }).trimEnd();

describe("ps", () => {
  test("without a published status, a pod's components on the local engine are the declared ones and its init members, not the IPC holder", async () => {
    const services = await listStack(engineWith({ containers: [container("web", "component"), container("setup", "init"), container("ipc-holder", "ipc-holder")] }), "st");
    const components = services[0]!.tasks[0]!.components!.map((c) => c.name);
    assert.deepEqual(components, ["setup", "web"]);
  });

  test("a pod on another node shows the component states its controller last published, through the manager alone", async () => {
    const logs = async () => Buffer.concat([frame(published({ web: "starting" }, "starting")), frame("web | serving"), frame(published({ web: "healthy", db: "exited (3)" }, "unhealthy"))]);
    const [service] = await listStack(engineWith({ logs }), "st");
    const task = service!.tasks[0]!;
    assert.equal(task.podStatus, "unhealthy");
    assert.deepEqual(task.components, [{ name: "db", state: "exited (3)" }, { name: "web", state: "healthy" }]);
    assert.equal(task.componentsUnknown, undefined);
  });

  test("a pod whose node is down says so, and a replaced copy last seen running on it stays in the list", async () => {
    let asked = 0;
    const tasks = [
      { ID: "new", ServiceID: "s1", Slot: 1, NodeID: "n2", DesiredState: "running", CreatedAt: "2", Status: { State: "running" } },
      { ID: "old", ServiceID: "s1", Slot: 1, NodeID: "n3", DesiredState: "shutdown", CreatedAt: "1", Status: { State: "running" } },
    ];
    const nodes = [
      { ID: "n2", Description: { Hostname: "pl2" }, Status: { State: "ready" } },
      { ID: "n3", Description: { Hostname: "pl3" }, Status: { State: "down" } },
    ];
    const logs = async (id: string) => {
      asked++;
      assert.equal(id, "new", "a node that is down is never asked: the engine would wait for it");
      return frame(published({ web: "running" }));
    };
    const [service] = await listStack(engineWith({ tasks, nodes, logs }), "st");
    const [current, replaced] = service!.tasks;
    assert.equal(asked, 1);
    assert.deepEqual(current!.components, [{ name: "web", state: "running" }]);
    assert.equal(current!.restarts, 1);
    assert.equal(replaced!.id, "old");
    assert.equal(replaced!.replaced, true);
    assert.match(replaced!.componentsUnknown!, /node pl3 is down/);
  });

  test("output that cannot be read back names the logging driver and the engine's reason", async () => {
    const logs = async () => {
      throw Object.assign(new Error("(HTTP code 500) server error"), { json: { message: "configured logging driver does not support reading" } });
    };
    const [service] = await listStack(engineWith({ logs, logDriver: "none" }), "st");
    assert.match(service!.tasks[0]!.componentsUnknown!, /logging driver none.*does not support reading/);
  });
});
