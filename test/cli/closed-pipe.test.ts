import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { folderWith } from "../support/folders.js";

/**
 * `podlike convert big.yml | head -1`: the reader goes away after one line.
 * The command must end quietly (no EPIPE stack trace on standard error) with
 * the exit code it would have had, as other Unix tools do.
 */
const TSX = import.meta.resolve("tsx");
const CLI = fileURLToPath(new URL("../support/podlike-cli.ts", import.meta.url));

function bigProject(service: (i: number) => string): string {
  const lines = ["services:"];
  for (let i = 0; i < 3000; i++) lines.push(service(i));
  return folderWith({ "compose.yml": lines.join("\n") + "\n" });
}

/** `podlike ...args | head -1` in bash: podlike's exit code, what head printed, and podlike's standard error. */
function intoHead(args: string[], dir: string): { code: number; first: string; stderr: string } {
  const quoted = [process.execPath, "--import", TSX, CLI, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  const run = spawnSync("bash", ["-c", `${quoted} 2>stderr.txt | head -1; echo "podlike-exit=\${PIPESTATUS[0]}"`], { cwd: dir, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1" } });
  const [first = "", status = ""] = run.stdout.trim().split("\n");
  return { code: Number(status.replace("podlike-exit=", "")), first, stderr: readFileSync(join(dir, "stderr.txt"), "utf8") };
}

test("convert | head -1: the first line, then a quiet exit 0", () => {
  const dir = bigProject((i) => `  service-${i}:\n    image: busybox\n    command: [echo, "a long enough line for the output to outgrow a pipe buffer ${i}"]`);
  const run = intoHead(["convert"], dir);
  assert.equal(run.first, 'version: "3.9"');
  assert.equal(run.stderr, "");
  assert.equal(run.code, 0);
});

test("lint | head -1: a quiet exit that still says the file has errors", () => {
  const dir = bigProject((i) => `  service-${i}:\n    image: [busybox]`);
  const run = intoHead(["lint"], dir);
  assert.match(run.first, /^compose\.yml:3:12: error: service "service-0": image must be a string/);
  assert.equal(run.stderr, "");
  assert.equal(run.code, 1);
});
