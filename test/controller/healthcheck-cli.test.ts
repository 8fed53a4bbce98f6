import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHealthcheck } from "../../src/cli/commands/healthcheck.js";
import { processStartTime, writeHealthState } from "../../src/controller/health-state.js";
import type { CliIO } from "../../src/cli/io.js";

function io(env: Record<string, string>): CliIO & { out: string[] } {
  const out: string[] = [];
  return { out, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) }, env, cwd: "/", readStdin: async () => "" };
}

describe("podlike healthcheck", () => {
  test("exit 0 only while the controller reports healthy; stale or missing state is unhealthy", async () => {
    const dir = mkdtempSync(join(tmpdir(), "podlike-hc-"));
    const path = join(dir, "health.json");
    try {
      const env = { PODLIKE_STATE_FILE: path };
      let cli = io(env);
      assert.equal(await runHealthcheck([], cli), 1);
      assert.match(cli.out.join(""), /unhealthy: the controller has not reported yet/);

      const me = { pid: process.pid, pidStart: processStartTime(process.pid), updated: "" };
      writeHealthState(path, { status: "healthy", components: { app: "running", db: "healthy" }, ...me });
      cli = io(env);
      assert.equal(await runHealthcheck([], cli), 0);
      assert.equal(cli.out.join(""), "healthy: app running, db healthy\n");

      writeHealthState(path, { status: "starting", components: { db: "starting" }, ...me });
      assert.equal(await runHealthcheck([], io(env)), 1);

      writeHealthState(path, { status: "healthy", components: {}, ...me, pidStart: "0" });
      cli = io(env);
      assert.equal(await runHealthcheck([], cli), 1);
      assert.match(cli.out.join(""), /earlier run/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
