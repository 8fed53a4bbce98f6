/**
 * podlike-healthcheck (C, what the engine runs every second) must say what
 * `podlike healthcheck` (node) says about the same state file.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHealthcheck } from "../../src/cli/commands/healthcheck.js";
import { processStartTime } from "../../src/controller/health-state.js";

const SOURCE = "src/controller/healthcheck/healthcheck.c";
const gcc = spawnSync("gcc", ["--version"]).status === 0;

describe("podlike-healthcheck agrees with podlike healthcheck", { skip: gcc ? undefined : "no C compiler (gcc) on this machine" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "podliketest-hc-"));
  const program = join(dir, "podlike-healthcheck");
  const path = join(dir, "health.json");
  before(() => execFileSync("gcc", ["-Os", "-o", program, SOURCE]));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

  const me = { pid: process.pid, pidStart: processStartTime(process.pid) };
  const updated = new Date().toISOString();
  const files: [string, string | undefined][] = [
    ["healthy, written by a running process", JSON.stringify({ status: "healthy", components: { app: "running", "x}": "exited (3)" }, updated, ...me })],
    ["healthy, keys in another order, spaces and nesting", `{ "updated": "${updated}", "components": {"a": ["}", {"b": "\\"status\\":\\"x\\""}]}, "pid": ${me.pid}, "pidStart": "${me.pidStart}", "status": "healthy" }`],
    ["starting", JSON.stringify({ status: "starting", components: {}, updated, ...me })],
    ["unhealthy", JSON.stringify({ status: "unhealthy", components: { app: "unhealthy" }, updated, ...me })],
    ["stopping", JSON.stringify({ status: "stopping", components: {}, updated, ...me })],
    ["left over from an earlier run", JSON.stringify({ status: "healthy", components: {}, updated, pid: me.pid, pidStart: "1" })],
    ["its writer no longer runs", JSON.stringify({ status: "healthy", components: {}, updated, pid: 2 ** 22 + 1, pidStart: "1" })],
    ["no pid", JSON.stringify({ status: "healthy", components: {} })],
    ["no pidStart", JSON.stringify({ status: "healthy", components: {}, updated, pid: me.pid })],
    ["not rewritten for two minutes (a stuck controller)", JSON.stringify({ status: "healthy", components: {}, ...me, updated: new Date(Date.now() - 120_000).toISOString() })],
    ["rewritten 20 s ago", JSON.stringify({ status: "healthy", components: {}, ...me, updated: new Date(Date.now() - 20_000).toISOString() })],
    ["an updated time that is no time", JSON.stringify({ status: "healthy", components: {}, ...me, updated: "yesterday" })],
    ["not JSON", "healthy"],
    ["no file", undefined],
  ];
  for (const [what, text] of files) {
    test(what, async () => {
      rmSync(path, { force: true });
      if (text !== undefined) writeFileSync(path, text);
      const env = { PODLIKE_STATE_FILE: path };
      const out: string[] = [];
      const nodeCode = await runHealthcheck([], { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => true }, env, cwd: "/", readStdin: async () => "" });
      const c = spawnSync(program, [], { env, encoding: "utf8" });
      assert.equal(c.status, nodeCode, `node said ${out.join("")}, C said ${c.stdout}`);
      // the first word (the status, or "unhealthy: <reason>") is the same; node adds the components
      assert.equal(c.stdout.split(/[:\n]/)[0], out.join("").split(/[:\n]/)[0]);
    });
  }
});
