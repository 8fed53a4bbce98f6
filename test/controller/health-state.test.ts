import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readHealthState, writeHealthState, processStartTime } from "../../src/controller/health-state.js";

describe("the health state file", () => {
  test("the state file names its writer; a file from an earlier run is stale", () => {
    const dir = mkdtempSync(join(tmpdir(), "podlike-state-"));
    try {
      const path = join(dir, "sub", "health.json");
      assert.equal(readHealthState(path).ok, false);
      writeHealthState(path, { status: "healthy", components: { a: "running" }, pid: process.pid, pidStart: processStartTime(process.pid), updated: new Date().toISOString() });
      const fresh = readHealthState(path);
      assert.ok(fresh.ok && fresh.state.status === "healthy");
      // same pid (PID 1 in a restarted container), different start time
      writeHealthState(path, { status: "healthy", components: {}, pid: process.pid, pidStart: "1", updated: new Date().toISOString() });
      const stale = readHealthState(path);
      assert.ok(!stale.ok && /earlier run/.test(stale.reason));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
