import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { truncateSync, writeFileSync } from "node:fs";
import { folderWith } from "./support.js";
import { runPodlikeProcess } from "../support/cli-process.js";
import { readText, TEXT_FILE_LIMIT } from "../../src/compose/read-text.js";
import { desiredFileObjects } from "../../src/deploy/objects.js";
import { copyArchive, fileSystemSource } from "../../src/controller/copy.js";

/**
 * Files a project names that are not regular files, or are huge: each is
 * refused with a finding at the place that names it, quickly, instead of
 * being read until the process runs out of memory (a device, a huge file) or
 * blocks for ever (a FIFO). Commands run in their own process, killed after
 * a minute, so a regression fails rather than hangs.
 */

function hostileProject(): string {
  const dir = folderWith({
    "compose.yml": [
      "include:",
      "  - /dev/zero",
      "services:",
      "  web:",
      "    image: busybox",
      "    env_file: [./fifo.env, ./huge.env]",
      "    configs: [conf]",
      "    secrets: [key]",
      "  worker:",
      "    extends: {file: ./fifo.yml, service: base}",
      "configs:",
      "  conf:",
      "    file: ./fifo.conf",
      "secrets:",
      "  key:",
      "    file: ./big.key",
      "",
    ].join("\n"),
  });
  for (const fifo of ["fifo.env", "fifo.yml", "fifo.conf"]) execFileSync("mkfifo", [join(dir, fifo)]);
  writeFileSync(join(dir, "huge.env"), "");
  truncateSync(join(dir, "huge.env"), TEXT_FILE_LIMIT + 1); // sparse: costs no disk
  writeFileSync(join(dir, "big.key"), Buffer.alloc(600 * 1024, 1)); // over Swarm's 500 KiB for a secret
  return dir;
}

for (const command of [["lint"], ["convert"], ["deploy", "--dry-run", "-c", "compose.yml", "hostile"]]) {
  test(`${command[0]}: a device, FIFOs and huge files named by the project are clean findings at the line that names them`, () => {
    const dir = hostileProject();
    const run = runPodlikeProcess(command, dir);
    assert.equal(run.signal, null, `podlike ${command[0]} was killed: it blocked or ran too long`);
    assert.equal(run.code, 1, run.stderr);
    // lint reports on standard output; convert and deploy report on standard error and print nothing else
    const report = command[0] === "lint" ? run.stdout : run.stderr;
    if (command[0] !== "lint") assert.equal(run.stdout, "");
    assert.doesNotMatch(run.stdout + run.stderr, /internal error|    at /);
    const lines = report.split("\n");
    const finding = (pattern: RegExp) => lines.find((l) => pattern.test(l));
    assert.ok(finding(/^compose\.yml:2:5: error: included file \/dev\/zero is a device, not a regular file \[INCLUDE\]/), report);
    assert.ok(finding(/^compose\.yml:6:16: error: env_file .*fifo\.env of services\.web is a FIFO \(named pipe\), not a regular file \[ENV_FILE\]/), report);
    assert.ok(finding(/^compose\.yml:6:28: error: env_file .*huge\.env of services\.web is too large \(16 MiB; at most 16 MiB is read\)/), report);
    assert.ok(finding(/^compose\.yml:10:21: error: extends of service "worker" names .*fifo\.yml, which is a FIFO/), report);
    assert.ok(finding(/^compose\.yml:13:11: error: config "conf": file .*fifo\.conf is a FIFO/), report);
    assert.ok(finding(/^compose\.yml:16:11: error: secret "key": file .*big\.key is too large \(600 KiB; at most 500 KiB is read\) \[OBJECT_FILE\]/), report);
  });
}

test("a Compose file that is a device is a usage error, not a read until memory runs out", () => {
  const run = runPodlikeProcess(["lint", "/dev/zero"], folderWith({}));
  assert.equal(run.signal, null);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /Compose file \/dev\/zero is a device, not a regular file/);
});

test("readText: regular files only, never more than the cap", () => {
  const dir = folderWith({ "ok.env": "A=1\n", "sub/x": "" });
  assert.deepEqual(readText(join(dir, "ok.env")), { text: "A=1\n" });
  assert.deepEqual(readText(join(dir, "ok.env"), 3), { problem: "is too large (4 bytes; at most 3 bytes is read)" });
  assert.deepEqual(readText(join(dir, "sub")), { problem: "is a folder, not a file" });
  assert.deepEqual(readText("/dev/zero"), { problem: "is a device, not a regular file" });
  assert.deepEqual(readText(join(dir, "absent")), { problem: "does not exist" });
});

test("deploy: a config or secret file that is a device or over Swarm's size is an OBJECT_FILE finding, not a read", () => {
  const dir = folderWith({ "big.conf": "x".repeat(1000 * 1024 + 1) });
  const stack = {
    services: { web: { image: "busybox", configs: ["zero", "big"], secrets: ["zero"] } },
    configs: { zero: { file: "/dev/zero" }, big: { file: join(dir, "big.conf") } },
    secrets: { zero: { file: "/dev/zero" } },
  };
  const diagnostics: import("../../src/diagnostics/diagnostic.js").Diagnostic[] = [];
  const options = { baseDir: dir, variables: {} };
  assert.deepEqual(desiredFileObjects(stack, "s", "config", options, diagnostics), []);
  assert.deepEqual(desiredFileObjects(stack, "s", "secret", options, diagnostics), []);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.message]),
    [
      ["OBJECT_FILE", `config "big": file ${join(dir, "big.conf")} is too large (1000 KiB; at most 1000 KiB is read)`],
      ["OBJECT_FILE", 'config "zero": file /dev/zero is a device, not a regular file'],
      ["OBJECT_FILE", 'secret "zero": file /dev/zero is a device, not a regular file'],
    ],
  );
});

test("controller: a pod.copy source that is a device or a FIFO is refused, not read", () => {
  const dir = folderWith({});
  execFileSync("mkfifo", [join(dir, "pipe")]);
  assert.throws(() => copyArchive([{ source: "/dev/zero", target: "/data" }], fileSystemSource), /\/dev\/zero is a device, not a regular file/);
  assert.throws(() => copyArchive([{ source: dir, target: "/data" }], fileSystemSource), /pipe is a FIFO \(named pipe\), not a regular file/);
});
