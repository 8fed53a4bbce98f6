import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { EngineError, EngineUnreachable } from "../../src/engine/container-engine.js";
import { apiTimestamp, toEngineEvent } from "../../src/engine/container-events.js";
import { engineSocket, replyJson } from "../support/engine-socket.js";
import { engineTarget } from "../../src/engine/connection.js";
import { HttpEngine, pullParameters, registryAuthHeader } from "../../src/engine/http-engine.js";
import { BUSYBOX, e2eOptions, testName } from "../support/engine.js";

/** A tar archive holding one file (ustar header, content, padding, two empty blocks). */
function tarOf(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write("0000644\0", 100);
  header.write("0000000\0", 108);
  header.write("0000000\0", 116);
  header.write(data.length.toString(8).padStart(11, "0") + "\0", 124);
  header.write("00000000000\0", 136);
  header.write("0", 156);
  header.write("ustar\0" + "00", 257);
  header.write("        ", 148);
  const sum = header.reduce((total, byte) => total + byte, 0);
  header.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, padding, Buffer.alloc(1024)]);
}

function text(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => resolve(Buffer.concat(chunks).toString("latin1")));
    stream.on("error", reject);
  });
}

describe("HttpEngine without an engine, and what it sends", () => {
  test("a socket that does not exist is EngineUnreachable, for calls and for subscribing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "podliketest-nosocket-"));
    try {
      const engine = new HttpEngine({ socketPath: join(dir, "docker.sock") });
      await assert.rejects(engine.inspectContainer("x"), EngineUnreachable);
      await assert.rejects(engine.subscribeEvents({ a: "b" }, () => {}), EngineUnreachable);
      await assert.rejects(engine.waitContainer("x", { nextExit: true }), EngineUnreachable);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the API version comes from the Api-Version header of a ping, and from /version only when the header is missing", async (t) => {
    let header: string | undefined = "1.43";
    const engine = await engineSocket((path, res) => {
      if (path !== "/_ping") return replyJson(res, 200, { ApiVersion: "1.40" });
      res.writeHead(200, header ? { "Api-Version": header } : {});
      res.end("OK");
    });
    t.after(engine.close);
    const client = new HttpEngine({ socketPath: engine.socketPath });
    assert.equal(await client.apiVersion(), "1.43");
    assert.deepEqual(engine.paths, ["/_ping"], "the slow /version is not asked when the ping names the version");
    header = undefined;
    assert.equal(await client.apiVersion(), "1.40");
    assert.deepEqual(engine.paths, ["/_ping", "/_ping", "/version"]);
  });

  test("event times travel as nanoseconds and go back to the API as seconds with a fraction", () => {
    const event = toEngineEvent({ Action: "die", timeNano: 1700000000123456789, Actor: { ID: "abc", Attributes: { exitCode: "3" } } });
    assert.equal(event?.kind, "die");
    assert.match(event!.time!, /^17000000001234567\d\d$/, "JSON numbers keep about 16 digits");
    assert.equal(apiTimestamp("1700000000123456789"), "1700000000.123456789");
    assert.equal(apiTimestamp("5000"), "0.000005000");
  });

  test("engine events map to podlike events", () => {
    assert.deepEqual(toEngineEvent({ Action: "health_status: healthy", Actor: { ID: "x", Attributes: { a: "b" } } }), { kind: "health", id: "x", labels: { a: "b" }, health: "healthy" });
    assert.deepEqual(toEngineEvent({ Action: "die", Actor: { ID: "x", Attributes: { exitCode: "3" } } }), { kind: "die", id: "x", labels: { exitCode: "3" }, exitCode: 3 });
    assert.equal(toEngineEvent({ Action: "exec_start: sh" }), undefined);
  });

  test("a pull names one tag or digest: an untagged reference pulls latest, never every tag", () => {
    assert.deepEqual(pullParameters("nginx"), { fromImage: "nginx", tag: "latest" });
    assert.deepEqual(pullParameters("nginx:1.25"), { fromImage: "nginx", tag: "1.25" });
    assert.deepEqual(pullParameters("registry.example:5000/team/app"), { fromImage: "registry.example:5000/team/app", tag: "latest" });
    assert.deepEqual(pullParameters("registry.example:5000/team/app:v2"), { fromImage: "registry.example:5000/team/app", tag: "v2" });
    assert.deepEqual(pullParameters("app@sha256:abc"), { fromImage: "app", tag: "sha256:abc" });
  });

  test("registry credentials travel as URL-safe base64 of their JSON", () => {
    const auth = { username: "me", password: "s3cr?t>>~~", serveraddress: "registry.example" };
    const header = registryAuthHeader(auth);
    assert.doesNotMatch(header, /[+/]/);
    assert.deepEqual(JSON.parse(Buffer.from(header, "base64url").toString("utf8")), auth);
  });
});

describe("HttpEngine on the real engine", e2eOptions(), () => {
  const engine = new HttpEngine(engineTarget(process.env).options);
  const mark = testName("httpengine");
  const labels = { "podliketest.httpengine": mark };
  const made: string[] = [];
  after(async () => {
    for (const id of made) await engine.removeContainer(id, { force: true }).catch(() => {});
  });

  test("an archive copied in before the start is there for the program, whose output the logs carry", async () => {
    const id = await engine.createContainer(`${mark}-copy`, { Image: BUSYBOX, Labels: labels, Cmd: ["cat", "/etc/podliketest/greeting"] });
    made.push(id);
    await engine.putArchive(id, "/", tarOf("etc/podliketest/greeting", "hello from the archive\n"));
    const exited = engine.waitContainer(id, { nextExit: true });
    await engine.startContainer(id);
    assert.equal(await exited, 0);
    const logs = await text(await engine.followLogs(id));
    assert.match(logs, /hello from the archive\n$/);
    assert.equal(logs.charCodeAt(0), 1, "multiplexed frames: the first is stdout");
  });

  test("replies that stay open do not hold up other requests", async () => {
    const id = await engine.createContainer(`${mark}-open`, { Image: BUSYBOX, Labels: labels, Cmd: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait; done"] });
    made.push(id);
    await engine.startContainer(id);
    const open = await Promise.all(Array.from({ length: 24 }, () => engine.followLogs(id)));
    const waits = Array.from({ length: 4 }, () => engine.waitContainer(id));
    try {
      assert.equal((await engine.inspectContainer(id))?.running, true);
      assert.ok((await engine.listContainers(labels)).some((c) => c.id === id));
    } finally {
      for (const stream of open) stream.destroy();
    }
    await engine.stopContainer(id, 5);
    assert.deepEqual(await Promise.all(waits), [0, 0, 0, 0]);
  });

  test("a pull the registry cannot serve fails with the engine's message", async () => {
    // nothing listens on port 1: the engine's pull fails at once, offline or not
    await assert.rejects(engine.pullImage("127.0.0.1:1/podliketest/none:x"), (error: unknown) => {
      assert.ok(error instanceof EngineError);
      assert.match(error.message, /127\.0\.0\.1:1/);
      return true;
    });
  });
});
