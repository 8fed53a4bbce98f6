import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EngineUnreachable } from "../../src/engine/container-engine.js";
import { apiTimestamp, DockerodeEngine, toEngineEvent } from "../../src/engine/dockerode-engine.js";

describe("dockerode engine: an engine that is not there, and event times", () => {
  test("a socket that does not exist is EngineUnreachable, for calls and for subscribing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "podliketest-nosocket-"));
    try {
      const engine = new DockerodeEngine({ socketPath: join(dir, "docker.sock") });
      await assert.rejects(engine.inspectContainer("x"), EngineUnreachable);
      await assert.rejects(engine.subscribeEvents({ a: "b" }, () => {}), EngineUnreachable);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("event times travel as nanoseconds and go back to the API as seconds with a fraction", () => {
    const event = toEngineEvent({ Action: "die", timeNano: 1700000000123456789, Actor: { ID: "abc", Attributes: { exitCode: "3" } } });
    assert.equal(event?.kind, "die");
    assert.match(event!.time!, /^17000000001234567\d\d$/, "JSON numbers keep about 16 digits");
    assert.equal(apiTimestamp("1700000000123456789"), "1700000000.123456789");
    assert.equal(apiTimestamp("5000"), "0.000005000");
  });
});
