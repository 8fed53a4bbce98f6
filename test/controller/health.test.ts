import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { aggregate } from "../../src/controller/health.js";

describe("pod health", () => {
  test("aggregate", () => {
    const up = { name: "a", running: true };
    assert.equal(aggregate([up], false), "starting");
    assert.equal(aggregate([up, { name: "b", running: true, health: "healthy" }], true), "healthy");
    assert.equal(aggregate([up, { name: "b", running: true, health: "starting" }], true), "starting");
    assert.equal(aggregate([up, { name: "b", running: true, health: "unhealthy" }], false), "unhealthy");
    assert.equal(aggregate([{ name: "a", running: false }], true), "unhealthy");
  });
});
