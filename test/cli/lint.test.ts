import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { main } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/io.js";

const fixtures = fileURLToPath(new URL("../../fixtures/lint/", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function podlike(args: string[], options: { cwd?: string; env?: Record<string, string>; stdin?: string; tty?: boolean } = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty },
    env: options.env ?? {},
    cwd: options.cwd ?? fixtures,
    readStdin: async () => options.stdin ?? "",
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const ESC = "\u001b[";

describe("podlike lint", () => {
  it("exits 0 and prints nothing for a clean file", async () => {
    const run = await podlike(["lint", "valid-web-db-cache/compose.yml"]);
    assert.deepEqual(run, { code: 0, stdout: "", stderr: "" });
  });

  it("finds the Compose file of the current folder, with its override", async () => {
    const run = await podlike(["lint"], { cwd: `${fixtures}override-positions` });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^compose\.override\.yml:6:13: error: pod "app-pod": service "proxy" and service "app" both listen on port 80\/tcp/m);
  });

  it("exits 1 on errors and prints each finding with file:line:col, code and fix, then a summary", async () => {
    const run = await podlike(["lint", "pod-unknown-member/compose.yml"]);
    assert.equal(run.code, 1);
    const lines = run.stdout.split("\n");
    assert.equal(
      lines[0],
      'pod-unknown-member/compose.yml:10:26: error: pod "app": component "cahce" is not a service of this project (did you mean "cache"?) [UNKNOWN_MEMBER]',
    );
    assert.equal(lines[1], '  fix: rename it to "cache"');
    assert.match(run.stdout, /✖ 3 errors, 0 warnings\n$/);
  });

  it("exits 0 with warnings, and 1 when they exceed --max-warnings", async () => {
    const file = "pod-docker-socket/compose.yml";
    assert.equal((await podlike(["lint", file])).code, 0);
    assert.equal((await podlike(["lint", file, "--max-warnings", "2"])).code, 0);
    const over = await podlike(["lint", file, "--max-warnings", "1"]);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /2 warnings, more than --max-warnings 1/);
  });

  it("exits 2 when a file named on the command line does not exist, or an option is wrong", async () => {
    const missing = await podlike(["lint", "-f", "no-such-file.yml"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no-such-file\.yml does not exist/);
    assert.equal(missing.stdout, "");
    assert.equal((await podlike(["lint", "--format", "xml", "valid-build/compose.yml"])).code, 2);
    assert.equal((await podlike(["lint", "--max-warnings", "many", "valid-build/compose.yml"])).code, 2);
    assert.equal((await podlike(["lint", "--env-file", "nope.env", "valid-build/compose.yml"])).code, 2);
  });

  it("exits 2 when no file is named and the folder has none", async () => {
    const run = await podlike(["lint"], { cwd: fixtures });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no Compose file found/);
  });

  it("reads standard input for -", async () => {
    const run = await podlike(["lint", "-f", "-"], { stdin: "services:\n  web:\n    imagee: nginx\n" });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^<stdin>:3:5: error: service "web": additional property "imagee" is not allowed \(did you mean "image"\?\)/);
  });

  it("prints JSON records with --format json", async () => {
    const run = await podlike(["lint", "--format", "json", "pod-port-clash/compose.yml"]);
    assert.equal(run.code, 1);
    const records = JSON.parse(run.stdout);
    assert.equal(records.length, 2);
    assert.deepEqual(
      { ...records[0], message: undefined, hint: undefined, endLine: undefined, endColumn: undefined },
      {
        file: "pod-port-clash/compose.yml",
        line: 8,
        column: 9,
        endLine: undefined,
        endColumn: undefined,
        severity: "error",
        code: "PORT_CLASH",
        message: undefined,
        hint: undefined,
        path: "services.proxy.ports[0]",
      },
    );
    assert.equal(typeof records[0].hint, "string");
    assert.ok(records[0].endLine >= 8, "the end of the range is given too");
  });

  it("prints GitHub workflow commands with --format github", async () => {
    const run = await podlike(["lint", "--format", "github", "pod-name-collision/compose.yml"]);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /^::error file=pod-name-collision\/compose\.yml,line=9,col=3,endLine=9,endColumn=5,title=POD_NAME_COLLISION::pod "db" has the name of service "db", which is not in the pod%0Afix: rename the pod/,
    );
  });

  it("colours stylish output on a terminal unless NO_COLOR or --no-color", async () => {
    const file = "pod-empty/compose.yml";
    assert.ok((await podlike(["lint", file], { tty: true })).stdout.includes(ESC));
    assert.ok(!(await podlike(["lint", file], { tty: true, env: { NO_COLOR: "1" } })).stdout.includes(ESC));
    assert.ok(!(await podlike(["lint", "--no-color", file], { tty: true })).stdout.includes(ESC));
  });

  it("loads neither dockerode nor the ajv compiler (start-up cost)", async () => {
    await podlike(["lint", "pod-example/compose.yml"]);
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    assert.ok(loaded.some((f) => f.endsWith("compose.validate.cjs")), "the precompiled validator was used");
    assert.deepEqual(loaded.filter((f) => /node_modules[\\/](dockerode|docker-modem)[\\/]/.test(f)), []);
    assert.deepEqual(loaded.filter((f) => /node_modules[\\/]ajv[\\/]dist[\\/](ajv|core)\.js$/.test(f)), []);
  });
});
