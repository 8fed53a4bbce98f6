/**
 * One contract, two engines: what the supervisor relies on must hold for the
 * in-memory FakeEngine exactly as for HttpEngine on a real engine, so unit
 * tests on the fake mean something.
 */
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import type { Engine, EngineEvent } from "../../src/engine/container-engine.js";
import { EngineError } from "../../src/engine/container-engine.js";
import { FakeEngine } from "../support/fake-engine.js";
import { FrameDemuxer } from "../../src/controller/logs.js";
import { HttpEngine } from "../../src/engine/http-engine.js";
import { engineTarget } from "../../src/engine/connection.js";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";

const RUNS = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait; done"];

async function eventually(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `speaks`: the API version the engine is known to speak, read another way. */
function contract(label: string, makeEngine: () => Engine, options: { skip?: string }, speaks: () => string) {
  describe(`Engine contract: ${label}`, options, () => {
    const engine = options.skip ? (undefined as unknown as Engine) : makeEngine();
    const mark = testName("contract");
    const labels = { "podliketest.contract": mark };
    const made: string[] = [];
    const create = async (purpose: string, body: Record<string, unknown>) => {
      const id = await engine.createContainer(`${mark}-${purpose}`, { Image: BUSYBOX, Labels: labels, ...body });
      made.push(id);
      return id;
    };

    after(async () => {
      if (!engine) return;
      for (const id of made) await engine.removeContainer(id, { force: true }).catch(() => {});
    });

    test("the engine names the API version it speaks", async () => {
      const version = await engine.apiVersion();
      assert.match(version, /^1\.\d+$/);
      assert.equal(version, speaks());
    });

    test("create, inspect, start, events, stop, remove", async () => {
      const events: EngineEvent[] = [];
      const subscription = await engine.subscribeEvents(labels, (e) => events.push(e));
      try {
        const id = await create("life", { Cmd: RUNS, HostConfig: { IpcMode: "shareable" } });
        let info = await engine.inspectContainer(id);
        assert.equal(info?.status, "created");
        assert.equal(info?.running, false);
        assert.equal(info?.name, `${mark}-life`);
        assert.equal(info?.labels["podliketest.contract"], mark);
        assert.equal(info?.ipcMode, "shareable");
        assert.equal(info?.health, undefined);
        assert.equal((await engine.inspectContainer(`${mark}-life`))?.id, id, "inspect by name");

        await engine.startContainer(id);
        await engine.startContainer(id); // already running is fine
        info = await engine.inspectContainer(id);
        assert.equal(info?.running, true);
        await eventually("start event", () => events.some((e) => e.kind === "start" && e.id === id));
        assert.equal(events.find((e) => e.id === id)?.labels["podliketest.contract"], mark);

        await engine.stopContainer(id, 5);
        assert.equal((await engine.inspectContainer(id))?.running, false);
        await eventually("die event", () => events.some((e) => e.kind === "die" && e.id === id));
        await engine.stopContainer(id, 5); // not running is fine
        await engine.removeContainer(id);
        assert.equal(await engine.inspectContainer(id), undefined);
        await engine.removeContainer(id); // gone is fine
        await engine.stopContainer(id, 1);
      } finally {
        subscription.close();
      }
    });

    test("a taken name is a 409; a running container is removed only with force", async () => {
      const id = await create("taken", { Cmd: RUNS });
      await assert.rejects(engine.createContainer(`${mark}-taken`, { Image: BUSYBOX }), (e: unknown) => e instanceof EngineError && e.statusCode === 409);
      await engine.startContainer(id);
      await assert.rejects(engine.removeContainer(id), (e: unknown) => e instanceof EngineError && e.statusCode === 409);
      await engine.removeContainer(id, { force: true });
      assert.equal(await engine.inspectContainer(id), undefined);
    });

    test("an exit reports its code through wait, inspect and a die event", async () => {
      const events: EngineEvent[] = [];
      const subscription = await engine.subscribeEvents(labels, (e) => events.push(e));
      try {
        const id = await create("exit", { Cmd: ["sh", "-c", "exit 3"] });
        await engine.startContainer(id);
        assert.equal(await engine.waitContainer(id), 3);
        assert.equal((await engine.inspectContainer(id))?.exitCode, 3);
        await eventually("die event", () => events.some((e) => e.kind === "die" && e.id === id && e.exitCode === 3));
        const logs = await engine.followLogs(id);
        await new Promise<void>((resolve) => {
          logs.on("end", resolve).on("close", resolve).resume();
        });
      } finally {
        subscription.close();
      }
    });

    test("output attached before the start arrives whole, though the engine removes the container at its exit", async () => {
      const id = await create("attach", { Cmd: ["sh", "-c", "echo said-before-exit; exit 0"], HostConfig: { AutoRemove: true } });
      const output = await engine.attachOutput(id);
      const chunks: Buffer[] = [];
      const ended = new Promise<void>((resolve) => {
        output.on("data", (chunk: Buffer) => chunks.push(chunk)).on("end", resolve).on("close", resolve);
      });
      const exited = engine.waitContainer(id, { nextExit: true });
      await engine.startContainer(id);
      assert.equal(await exited, 0);
      await ended;
      const frames = new FrameDemuxer().push(Buffer.concat(chunks));
      assert.deepEqual(frames.map((f) => [f.stream, f.payload.toString()]), [[1, "said-before-exit\n"]]);
    });

    test("health checks report through events and inspect", async () => {
      const events: EngineEvent[] = [];
      const subscription = await engine.subscribeEvents(labels, (e) => events.push(e));
      try {
        const id = await create("health", { Cmd: RUNS, Healthcheck: { Test: ["CMD", "true"], Interval: 100_000_000, StartPeriod: 0 } });
        await engine.startContainer(id);
        await eventually("healthy event", () => events.some((e) => e.kind === "health" && e.id === id && e.health === "healthy"));
        assert.equal((await engine.inspectContainer(id))?.health, "healthy");
        await engine.removeContainer(id, { force: true });
      } finally {
        subscription.close();
      }
    });

    test("list by label; image presence", async () => {
      const id = await create("listed", { Cmd: RUNS });
      const listed = await engine.listContainers({ "podliketest.contract": mark });
      assert.ok(listed.some((c) => c.id === id && c.name === `${mark}-listed` && c.state === "created"));
      assert.ok((await engine.listContainers({ "podliketest.contract": true })).some((c) => c.id === id));
      assert.deepEqual(await engine.listContainers({ "podliketest.contract": "no-such-value" }), []);
      assert.equal(await engine.imageExists(BUSYBOX), true);
      assert.equal(await engine.imageExists("podliketest/no-such-image:never"), false);
    });

    test("a wait placed before the start reports the exit even when the engine removes the container", async () => {
      const id = await create("autoremove", { Cmd: ["sh", "-c", "exit 7"], HostConfig: { AutoRemove: true } });
      const exited = engine.waitContainer(id, { nextExit: true });
      await engine.startContainer(id);
      assert.equal(await exited, 7);
    });

    test("volumes: created with labels, listed by label, removed once and again", async () => {
      const name = `${mark}-vol`;
      await engine.createVolume(name, { driver: "local", driverOpts: {}, labels: { "podliketest.contract": mark, role: "data" } });
      try {
        assert.deepEqual(await engine.volumeLabels(name), { "podliketest.contract": mark, role: "data" });
        assert.deepEqual(
          (await engine.listVolumes({ "podliketest.contract": mark })).map((v) => v.name),
          [name],
        );
        assert.deepEqual(await engine.listVolumes({ "podliketest.contract": mark, role: "other" }), []);
      } finally {
        await engine.removeVolume(name);
      }
      assert.equal(await engine.volumeLabels(name), undefined);
      await engine.removeVolume(name); // gone is fine
    });

    test("joining another container's namespaces needs it running", async () => {
      const holder = await create("holder", { Cmd: RUNS });
      const joiner = await create("joiner", { Cmd: RUNS, HostConfig: { NetworkMode: `container:${holder}` } });
      await assert.rejects(engine.startContainer(joiner));
      await engine.startContainer(holder);
      await engine.startContainer(joiner);
      assert.equal((await engine.inspectContainer(joiner))?.networkMode, `container:${holder}`);
    });
  });
}

contract("FakeEngine", () => new FakeEngine({ images: [BUSYBOX], apiVersion: "1.44" }), {}, () => "1.44");
contract("HttpEngine", () => new HttpEngine(engineTarget(process.env).options), e2eOptions(), () => docker(["version", "--format", "{{.Server.APIVersion}}"]));
