/**
 * One contract, two Swarms: what deploy, rm and ps rely on must hold for the
 * in-memory FakeSwarm exactly as for HttpSwarm on a real engine, so unit
 * tests on the fake mean something.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { engineTarget } from "../../src/engine/connection.js";
import { statusOf, engineMessage } from "../../src/engine/errors.js";
import { HttpSwarm } from "../../src/engine/http-swarm.js";
import type { Swarm } from "../../src/engine/swarm.js";
import { FakeSwarm } from "../support/fake-swarm.js";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";

async function eventually<T>(what: string, read: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function rejectsWith(promise: Promise<unknown>, status: number, pattern?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.equal(statusOf(error), status, engineMessage(error));
    if (pattern) assert.match(engineMessage(error), pattern);
    return true;
  });
}

/** `speaks`: the API version the engine is known to speak, read another way. */
function contract(label: string, makeSwarm: () => Swarm, options: { skip?: string }, speaks: () => string) {
  describe(`Swarm contract: ${label}`, options, () => {
    const swarm = options.skip ? (undefined as unknown as Swarm) : makeSwarm();
    const mark = testName("swarm");
    const owner = `podliketest.contract=${mark}`;
    const labels = { "podliketest.contract": mark };
    const made = { services: [] as string[], networks: [] as string[], configs: [] as string[] };
    const serviceSpec = (name: string, extra: Record<string, unknown> = {}) => ({
      Name: `${mark}-${name}`,
      Labels: labels,
      TaskTemplate: { ContainerSpec: { Image: BUSYBOX, Command: ["sleep", "600"], Init: true, Labels: labels } },
      Mode: { Replicated: { Replicas: 1 } },
      ...extra,
    });

    after(async () => {
      if (!swarm) return;
      for (const id of made.services) await swarm.removeService(id).catch(() => {});
      await eventually("the services' tasks to go", async () => ((await swarm.listTasks({ label: [owner] })).length ? undefined : true)).catch(() => {});
      for (const id of made.configs) await swarm.removeObject("config", id).catch(() => {});
      for (const id of made.networks) await swarm.removeNetwork(id).catch(() => {});
      swarm.close();
    });

    test("the engine is a manager and lists its nodes", async () => {
      await swarm.checkManager();
      const nodes = await swarm.listNodes();
      assert.ok(nodes.length >= 1);
      assert.ok(nodes.some((n) => n.role === "manager" && n.state === "ready" && n.hostname));
    });

    test("the engine names the API version it speaks", async () => {
      const version = await swarm.apiVersion();
      assert.match(version, /^1\.\d+$/);
      assert.equal(version, speaks());
    });

    test("networks: created with labels, listed by label, a taken name is a 409, gone is a 404", async () => {
      const id = await swarm.createNetwork({ Name: `${mark}-net`, Driver: "overlay", CheckDuplicate: true, Labels: labels });
      made.networks.push(id);
      const listed = await swarm.listNetworks({ label: [owner] });
      assert.deepEqual(
        listed.map((n) => [n.id, n.name, n.scope, n.labels["podliketest.contract"]]),
        [[id, `${mark}-net`, "swarm", mark]],
      );
      await rejectsWith(swarm.createNetwork({ Name: `${mark}-net`, Driver: "overlay", CheckDuplicate: true, Labels: labels }), 409);
      await swarm.removeNetwork(id);
      await rejectsWith(swarm.removeNetwork(id), 404);
      assert.deepEqual(await swarm.listNetworks({ label: [owner] }), []);
    });

    test("services: create, list by label and id, update at the version read, remove", async () => {
      const id = await swarm.createService(serviceSpec("web"));
      made.services.push(id);
      const [listed] = await swarm.listServices({ label: [owner] });
      assert.equal(listed?.id, id);
      assert.equal(listed?.name, `${mark}-web`);
      assert.equal(listed?.spec.TaskTemplate.ContainerSpec.Image, BUSYBOX);
      assert.deepEqual((await swarm.listServices({ id: [id] })).map((s) => s.id), [id]);

      const read = await swarm.inspectService(id);
      await swarm.updateService(id, read.version, { ...read.spec, Labels: { ...labels, changed: "1" } });
      const updated = await swarm.inspectService(id);
      assert.equal(updated.spec.Labels.changed, "1");
      assert.ok(updated.version > read.version);
      assert.equal(updated.previousSpec?.Labels?.changed, undefined, "the previous spec is what Swarm rolls back to");
      await rejectsWith(swarm.updateService(id, read.version, read.spec), 500, /out of sequence/);

      await rejectsWith(swarm.createService(serviceSpec("web")), 409);
      await swarm.removeService(id);
      await rejectsWith(swarm.removeService(id), 404);
      await rejectsWith(swarm.inspectService(id), 404);
    });

    test("tasks: a service's tasks are found by its labels and by its ID, on a listed node", async () => {
      const id = await swarm.createService(serviceSpec("tasks"));
      made.services.push(id);
      const task = await eventually("a task", async () => (await swarm.listTasks({ service: [id] }))[0]);
      assert.equal(task.serviceId, id);
      assert.equal(task.slot, 1);
      assert.equal(task.desiredState, "running");
      assert.deepEqual((await swarm.listTasks({ label: [owner] })).map((t) => t.id).filter((t) => t === task.id), [task.id]);
      const nodes = await swarm.listNodes();
      const placed = await eventually("placement", async () => (await swarm.listTasks({ service: [id] })).find((t) => t.nodeId)?.nodeId);
      assert.ok(nodes.some((n) => n.id === placed));
      assert.deepEqual(await swarm.listTasks({ label: [`podliketest.contract=${mark}-none`] }), []);
    });

    test("configs: created with content and labels; one in use cannot be removed; gone is a 404", async () => {
      const id = await swarm.createObject("config", { Name: `${mark}-conf`, Labels: labels }, Buffer.from("hello"));
      made.configs.push(id);
      assert.deepEqual(
        (await swarm.listObjects("config", { label: [owner] })).map((c) => [c.id, c.name, c.labels["podliketest.contract"]]),
        [[id, `${mark}-conf`, mark]],
      );
      await rejectsWith(swarm.createObject("config", { Name: `${mark}-conf`, Labels: labels }, Buffer.from("again")), 409);
      const user = await swarm.createService(
        serviceSpec("user", {
          TaskTemplate: {
            ContainerSpec: {
              Image: BUSYBOX,
              Command: ["sleep", "600"],
              Labels: labels,
              Configs: [{ ConfigID: id, ConfigName: `${mark}-conf`, File: { Name: "/conf", UID: "0", GID: "0", Mode: 0o444 } }],
            },
          },
          Mode: { Replicated: { Replicas: 0 } },
        }),
      );
      made.services.push(user);
      await rejectsWith(swarm.removeObject("config", id), 400, /in use/);
      await swarm.removeService(user);
      await swarm.removeObject("config", id);
      await rejectsWith(swarm.removeObject("config", id), 404);
    });

    test("containers: a label filter nothing carries lists none", async () => {
      assert.deepEqual(await swarm.listContainers({ label: [`podliketest.contract=${mark}-none`] }), []);
    });
  });
}

contract("FakeSwarm", () => Object.assign(new FakeSwarm(), { engineApiVersion: "1.44" }), {}, () => "1.44");
contract("HttpSwarm on the real engine", () => new HttpSwarm(engineTarget(process.env)), e2eOptions(), () => docker(["version", "--format", "{{.Server.APIVersion}}"]));
