import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHealthcheck } from "../../src/cli/commands/healthcheck.js";
import { createStateWriter, processStartTime, readHealthState, writeHealthState } from "../../src/controller/health-state.js";
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

      const me = { pid: process.pid, pidStart: processStartTime(process.pid), updated: new Date().toISOString() };
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

  test("a stale state file reads unhealthy: no pidStart, not rewritten for long, or a pid that is not running", async () => {
    const dir = mkdtempSync(join(tmpdir(), "podlike-hc-"));
    const path = join(dir, "health.json");
    try {
      const env = { PODLIKE_STATE_FILE: path };
      const me = { pid: process.pid, pidStart: processStartTime(process.pid), status: "healthy" as const, components: {} };
      writeHealthState(path, { ...me, updated: new Date().toISOString() });
      assert.equal(await runHealthcheck([], io(env)), 0, "the fresh file of a running writer is healthy");

      writeHealthState(path, { ...me, pidStart: undefined, updated: new Date().toISOString() });
      let cli = io(env);
      assert.equal(await runHealthcheck([], cli), 1);
      assert.match(cli.out.join(""), /unhealthy: .* does not say which process wrote it/);

      writeHealthState(path, { ...me, updated: new Date(Date.now() - 3 * 3600_000).toISOString() });
      cli = io(env);
      assert.equal(await runHealthcheck([], cli), 1);
      assert.match(cli.out.join(""), /has not reported for 10800 s: it is stuck/);

      // a pid far above any pid_max: no such process
      writeHealthState(path, { ...me, pid: 99_999_999, updated: new Date().toISOString() });
      cli = io(env);
      assert.equal(await runHealthcheck([], cli), 1);
      assert.match(cli.out.join(""), /no longer runs/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the state file is written atomically, mode 0600, never through a symlink, from an unpredictable temporary name", () => {
    const dir = mkdtempSync(join(tmpdir(), "podlike-hc-"));
    const path = join(dir, "health.json");
    const victim = join(dir, "victim");
    try {
      writeFileSync(victim, "untouched\n");
      // the temporary name an attacker could guess before, and the state file itself, point elsewhere
      symlinkSync(victim, `${path}.${process.pid}.tmp`);
      symlinkSync(victim, path);
      const state = { status: "healthy" as const, components: {}, pid: process.pid, pidStart: processStartTime(process.pid), updated: new Date().toISOString() };
      writeHealthState(path, state);
      writeHealthState(path, state);
      assert.equal(readFileSync(victim, "utf8"), "untouched\n");
      assert.ok(lstatSync(path).isFile(), "the symlink was replaced, not followed");
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.ok(readHealthState(path).ok);
      // nothing but the state file, the planted link and the victim: no temporary file left behind
      assert.deepEqual(readdirSync(dir).sort(), ["health.json", `health.json.${process.pid}.tmp`, "victim"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the state writer", () => {
  test("writes the latest state, one write at a time, without blocking the caller", async () => {
    const dir = mkdtempSync(join(tmpdir(), "podlike-hc-"));
    const path = join(dir, "health.json");
    try {
      const errors: Error[] = [];
      const writer = createStateWriter(path, (e) => errors.push(e));
      const state = (status: "starting" | "healthy") => ({ status, components: {}, pid: process.pid, pidStart: processStartTime(process.pid), updated: new Date().toISOString() });
      writer.write(state("starting"));
      writer.write(state("starting"));
      writer.write(state("healthy"));
      await writer.flush();
      const reading = readHealthState(path);
      assert.ok(reading.ok && reading.state.status === "healthy");
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.deepEqual(readdirSync(dir), ["health.json"], "no temporary file left");
      assert.deepEqual(errors, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
