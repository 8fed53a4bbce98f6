import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { folderWith } from "../support/folders.js";
import { COMPOSE_FILE_NAMES } from "../../src/compose/find-files.js";

/**
 * A small lint is mostly start-up: every node module it loads that `node -e 0`
 * does not is time a user waits for. These are the ones it once loaded for
 * nothing: node:v8 (to set V8 flags), chalk's colour detection (tty, os) and
 * process.stdout's socket, all of which pull in node's streams.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const built = existsSync(join(root, "dist", "bundle", "main.cjs"));
const HEAVY = ["stream", "net", "tty", "v8", "os", "child_process", "http", "crypto"];

/** `bin/podlike ...args` with `preload` (the text of a report script, report.cjs) required before it, as a user runs it (no NODE_EXTRA_CA_CERTS). */
function runWithPreload(args: string[], env: Record<string, string>, preload: string) {
  const dir = folderWith({ "report.cjs": preload });
  const { NODE_EXTRA_CA_CERTS: _, ...parentEnv } = process.env;
  // NODE_OPTIONS is not in process.execArgv: the run finds the code caches the build wrote
  return spawnSync(process.execPath, [join(root, "bin", "podlike"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...parentEnv, ...env, NODE_OPTIONS: `--require ${join(dir, "report.cjs")}` },
  });
}

/** Node's names of the built-in modules in a process.moduleLoadList. */
const builtins = (list: string[]): string[] => list.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice("NativeModule ".length));

/**
 * The built-in modules `bin/podlike ...args` loaded, as node lists them at
 * exit, and the files node's module loader loaded.
 */
function modulesLoaded(args: string[], env: Record<string, string>): { status: number | null; stdout: string; loaded: string[]; files: string[] } {
  const run = runWithPreload(
    args,
    env,
    `process.on("exit", () => require("fs").writeSync(2, "\\nLOADED " + JSON.stringify(process.moduleLoadList) + "\\nFILES " + JSON.stringify(Object.keys(require.cache))));`,
  );
  const report = /\nLOADED (.*)\nFILES (.*)$/.exec(run.stderr);
  assert.ok(report, run.stderr);
  return { status: run.status, stdout: run.stdout, loaded: builtins(JSON.parse(report[1]!) as string[]), files: JSON.parse(report[2]!) as string[] };
}

describe("lint start-up", { skip: built ? undefined : "not built" }, () => {
  const small = join(root, "fixtures", "lint", "pod-example", "compose.yml");

  for (const [name, args, env] of [
    ["with NO_COLOR", ["lint", small], { NO_COLOR: "1" }],
    ["with --format json", ["lint", "--format", "json", small], { NO_COLOR: "" }],
    // colour allowed: findings would ask whether standard output is a terminal
    ["with colour allowed", ["lint", small], { NO_COLOR: "" }],
  ] as const) {
    it(`loads none of node's streams, sockets or terminals for a clean file (${name})`, () => {
      const run = modulesLoaded([...args], env);
      assert.equal(run.status, 0);
      assert.ok(run.loaded.includes("fs"), "the report lists the built-ins node loaded");
      assert.deepEqual(run.loaded.filter((m) => HEAVY.includes(m)), []);
    });
  }

  it("finds the schema validator inside the lint bundle, with no file of its own for node's module loader to find and read", () => {
    const dir = folderWith({ "compose.yml": "services:\n  web:\n    image: [busybox]\n" });
    const run = modulesLoaded(["lint", join(dir, "compose.yml")], { NO_COLOR: "1" });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /compose\.yml:3:12: error: service "web": image must be a string/);
    // bin/podlike and its helpers, the bundles they compile themselves, and the test's own report
    assert.deepEqual(run.files.filter((f) => !f.startsWith(join(root, "bin")) && !f.endsWith("report.cjs")), []);
  });

  it("keeps the V8 flags of the other commands for a file past a few KB, where they repay node:v8", () => {
    const lines = ["services:"];
    for (let i = 0; i < 300; i++) lines.push(`  web-${i}:\n    image: example/web:${i}\n    environment: [PORT=${8000 + i}]`);
    const dir = folderWith({ "compose.yml": lines.join("\n") + "\n" });
    const run = modulesLoaded(["lint", join(dir, "compose.yml")], { NO_COLOR: "1" });
    assert.equal(run.status, 0);
    assert.ok(run.loaded.includes("v8"), run.loaded.join(" "));
  });

  it("prints its findings through the same path", () => {
    const dir = folderWith({ "compose.yml": "services:\n  web:\n    image: [busybox]\n" });
    const run = modulesLoaded(["lint", join(dir, "compose.yml")], { NO_COLOR: "1" });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /compose\.yml:3:12: error: service "web": image must be a string/);
    assert.deepEqual(run.loaded.filter((m) => HEAVY.includes(m)), []);
  });
});

describe("convert start-up", { skip: built ? undefined : "not built" }, () => {
  it("writes its stack to a pipe without process.stdout's socket or terminal modules", () => {
    const dir = folderWith({ "compose.yml": "services:\n  web:\n    image: busybox\n" });
    const run = modulesLoaded(["convert", join(dir, "compose.yml")], { NO_COLOR: "1" });
    assert.equal(run.status, 0);
    assert.equal(run.stdout, 'version: "3.9"\nservices:\n  web:\n    image: busybox\n');
    assert.deepEqual(run.loaded.filter((m) => ["net", "tty"].includes(m)), []);
  });

  it("writes its stack to a file (-o) without opening standard error's stream when it has nothing to say", () => {
    const dir = folderWith({ "compose.yml": "services:\n  web:\n    image: busybox\n" });
    // colour on: whether standard error is a terminal is asked only when there is a finding to colour
    const run = modulesLoaded(["convert", join(dir, "compose.yml"), "-o", join(dir, "stack.yml")], { NO_COLOR: "" });
    assert.equal(run.status, 0);
    assert.equal(readFileSync(join(dir, "stack.yml"), "utf8"), 'version: "3.9"\nservices:\n  web:\n    image: busybox\n');
    assert.deepEqual(run.loaded.filter((m) => ["net", "tty"].includes(m)), []);
  });
});

describe("deploy start-up", { skip: built ? undefined : "not built" }, () => {
  // node's own modules come with a code cache that V8 takes only under its default flags: one loaded
  // after deploy sets its flags is compiled from source, time every deploy pays
  it("loads the engine client's built-in modules before it sets V8 flags", () => {
    const dir = folderWith({ "compose.yml": "services:\n  web:\n    image: busybox\n" });
    const preload = [
      `const v8 = require("v8"), set = v8.setFlagsFromString; let mark;`,
      `v8.setFlagsFromString = (flags) => { mark ??= process.moduleLoadList.length; return set(flags); };`,
      `process.on("exit", () => require("fs").writeSync(2, "\\nLOADED " + JSON.stringify({ mark, all: process.moduleLoadList })));`,
    ].join("\n");
    // an engine that is not there: the client is loaded, the deploy fails at its first request
    const run = runWithPreload(["deploy", "--detach", "-c", join(dir, "compose.yml"), "podliketest-start-up"], { NO_COLOR: "1", DOCKER_HOST: `unix://${join(dir, "no-engine.sock")}` }, preload);
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(/\nLOADED (.*)$/.exec(run.stderr)![1]!) as { mark?: number; all: string[] };
    assert.ok(report.mark !== undefined, "deploy sets V8 flags");
    assert.ok(builtins(report.all).includes("http"), "deploy loads node:http");
    assert.deepEqual(builtins(report.all.slice(report.mark)).filter((m) => m === "net" || m === "os" || m.includes("http")), []);
  });
});

describe("the V8 flag set of a command", () => {
  const { flagSetOf } = createRequire(import.meta.url)("../../bin/cli-bundle.cjs") as { flagSetOf(argv: string[], cwd?: string): string };
  const small = folderWith({ "compose.yml": "services:\n  web:\n    image: busybox\n" });
  const large = folderWith({ "compose.yml": `services:\n${"  # padding\n".repeat(1000)}  web:\n    image: busybox\n` });

  it("is V8's defaults for a lint of small files, named or found", () => {
    assert.equal(flagSetOf(["lint", join(small, "compose.yml")]), "smallLint");
    assert.equal(flagSetOf(["lint", `--file=${join(small, "compose.yml")}`]), "smallLint");
    assert.equal(flagSetOf(["lint", "--format", "json"], small), "smallLint");
  });

  it("is the other commands' for a large file, named or found, for other commands and for unread input", () => {
    assert.equal(flagSetOf(["lint", join(large, "compose.yml")]), "commands");
    assert.equal(flagSetOf(["lint", "-f", join(small, "compose.yml"), "-f", join(large, "compose.yml")]), "commands");
    assert.equal(flagSetOf(["lint", "--format", "json"], large), "commands");
    assert.equal(flagSetOf(["convert", join(small, "compose.yml")]), "commands");
  });

  it("weighs each file lint finds when none is named, under every name docker compose looks for", () => {
    const padding = `services:\n${"  # padding\n".repeat(1000)}  web:\n    image: busybox\n`;
    const names = [...COMPOSE_FILE_NAMES, ...COMPOSE_FILE_NAMES.map((name) => name.replace(/\.(ya?ml)$/, ".override.$1"))];
    assert.equal(names.length, 8);
    for (const name of names) assert.equal(flagSetOf(["lint"], folderWith({ [name]: padding })), "commands", name);
  });

  it("never fails on arguments that are no file", () => {
    assert.equal(flagSetOf(["lint", join(small, "compose.yml", "below-a-file"), "--max-warnings", "0", "\u0000"], small), "smallLint");
  });
});
