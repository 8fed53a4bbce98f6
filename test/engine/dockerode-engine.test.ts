import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { toEngineEvent } from "../../src/engine/dockerode-engine.js";

describe("the container engine adapter", () => {
  test("engine events map to podlike events", () => {
    assert.deepEqual(toEngineEvent({ Action: "health_status: healthy", Actor: { ID: "x", Attributes: { a: "b" } } }), { kind: "health", id: "x", labels: { a: "b" }, health: "healthy" });
    assert.deepEqual(toEngineEvent({ Action: "die", Actor: { ID: "x", Attributes: { exitCode: "3" } } }), { kind: "die", id: "x", labels: { exitCode: "3" }, exitCode: 3 });
    assert.equal(toEngineEvent({ Action: "exec_start: sh" }), undefined);
  });
});
