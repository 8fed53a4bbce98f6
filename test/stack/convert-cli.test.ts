import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { STACK_CONFIG_CLI, runCli, stackConfigUnavailable } from "./support.js";
import { loadProject } from "../../src/compose/load.js";
import { sourceAt } from "../../src/compose/source-map.js";
import { convertModel } from "../../src/stack/emit.js";

const COMPOSE = `services:
  app:
    image: legacy/app:1
    container_name: app
  proxy:
    image: nginx:1.27
    ports: ["80:8080"]
  db:
    image: postgres:16
x-pods:
  web:
    components: [app, proxy]
`;

function project(files: Record<string, string>): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "podlike-convert-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

describe("podlike convert (command line)", () => {
  it("prints the stack on stdout and the warnings on stderr with file:line:col", async (t) => {
    const p = project({ "compose.yml": COMPOSE });
    t.after(p.done);
    const run = await runCli(["convert"], p.dir);
    assert.equal(run.code, 0);
    const stack = parse(run.stdout, { version: "1.1" });
    assert.deepEqual(Object.keys(stack.services).sort(), ["db", "web"]);
    assert.match(run.stderr, /^compose\.yml:4:5: warning: .*container_name.*\[UNSUPPORTED_KEY\]/m);
    assert.doesNotMatch(run.stdout, /container_name/);
  });

  it("refuses a member whose service name cannot name a component, at the service's line, without an internal error", async (t) => {
    const p = project({ "compose.yml": "services:\n  _app:\n    image: busybox\nx-pods:\n  web:\n    components: [_app]\n" });
    t.after(p.done);
    const run = await runCli(["convert"], p.dir);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /^compose\.yml:2:3: error: service "_app" of pod "web" cannot be a component.*\[INVALID_MEMBER_NAME\]\n  fix: rename service "_app"/m);
    assert.doesNotMatch(run.stderr, /internal error/);
  });

  it("reads files given as arguments, with -f, and from standard input alike", async (t) => {
    const p = project({ "stack-source.yml": COMPOSE });
    t.after(p.done);
    const positional = await runCli(["convert", "stack-source.yml"], p.dir);
    const flagged = await runCli(["convert", "-f", "stack-source.yml"], p.dir);
    const stdin = await runCli(["convert", "-"], p.dir, {}, COMPOSE);
    assert.equal(positional.code, 0);
    assert.equal(flagged.stdout, positional.stdout);
    assert.equal(stdin.stdout, positional.stdout);
  });

  it("gives the same bytes whatever order the services are written in", async (t) => {
    const reordered = `x-pods:
  web:
    components: [app, proxy]
services:
  db:
    image: postgres:16
  proxy:
    ports: ["80:8080"]
    image: nginx:1.27
  app:
    container_name: app
    image: legacy/app:1
`;
    const a = project({ "compose.yml": COMPOSE });
    const b = project({ "compose.yml": reordered });
    t.after(() => (a.done(), b.done()));
    const first = await runCli(["convert"], a.dir);
    const second = await runCli(["convert"], b.dir);
    assert.equal(second.stdout, first.stdout);
  });

  it("writes -o and checks it with --check: exit 0 when current, 1 with a unified diff when stale", async (t) => {
    const p = project({ "compose.yml": COMPOSE });
    t.after(p.done);
    const written = await runCli(["convert", "-o", "stack.yml"], p.dir);
    assert.equal(written.code, 0);
    assert.equal(written.stdout, "");
    assert.match(readFileSync(join(p.dir, "stack.yml"), "utf8"), /^version: "3\.9"\n/);

    const current = await runCli(["convert", "-o", "stack.yml", "--check"], p.dir);
    assert.equal(current.code, 0, current.stderr + current.stdout);
    assert.equal(current.stdout, "");

    writeFileSync(join(p.dir, "compose.yml"), COMPOSE.replace("postgres:16", "postgres:17"));
    const stale = await runCli(["convert", "-o", "stack.yml", "--check"], p.dir);
    assert.equal(stale.code, 1);
    assert.match(stale.stdout, /^--- stack\.yml\n\+\+\+ stack\.yml \(converted now\)\n@@ /m);
    assert.match(stale.stdout, /^-    image: postgres:16$/m);
    assert.match(stale.stdout, /^\+    image: postgres:17$/m);
    assert.match(stale.stderr, /stack\.yml is not up to date/);
    assert.match(readFileSync(join(p.dir, "stack.yml"), "utf8"), /postgres:16/, "--check never writes");
  });

  it("writes project paths relative to the -o file's folder, so --check passes on a copy of the project in another folder", async (t) => {
    const compose = `services:
  app:
    image: legacy/app:1
    volumes: ["./static:/srv/static:ro", {type: bind, source: ./conf, target: /etc/app}, "/var/run/docker.sock:/var/run/docker.sock"]
  proxy:
    image: nginx:1.27
    volumes: ["./static:/usr/share/nginx/html:ro"]
    configs: [site]
configs:
  site: {file: ./site.conf}
x-pods:
  web:
    components: [app]
`;
    const p = project({ "compose.yml": compose, "site.conf": "x" });
    const copy = mkdtempSync(join(tmpdir(), "podlike-convert-copy-"));
    t.after(() => (p.done(), rmSync(copy, { recursive: true, force: true })));
    mkdirSync(join(p.dir, "deploy"));
    const written = await runCli(["convert", "-o", "deploy/stack.yml"], p.dir);
    assert.equal(written.code, 0, written.stderr);
    const text = readFileSync(join(p.dir, "deploy", "stack.yml"), "utf8");
    assert.ok(!text.includes(p.dir), `no absolute path of the project in:\n${text}`);
    const stack = parse(text);
    assert.equal(stack.configs.site.file, "../site.conf");
    assert.deepEqual(stack.services.proxy.volumes, ["../static:/usr/share/nginx/html:ro"]);
    assert.deepEqual(parse(stack.services.web.labels["pod.component.app"]).volumes, [
      "../static:/srv/static:ro",
      { type: "bind", source: "../conf", target: "/etc/app" },
      "/var/run/docker.sock:/var/run/docker.sock",
    ]);
    assert.deepEqual(stack.services.web.volumes.at(-1), { type: "bind", source: ".", target: "/run/podlike/project", read_only: true });

    cpSync(p.dir, copy, { recursive: true });
    const checked = await runCli(["convert", "-o", "deploy/stack.yml", "--check"], copy);
    assert.equal(checked.code, 0, checked.stdout + checked.stderr);

    const onStdout = parse((await runCli(["convert"], p.dir)).stdout);
    assert.equal(onStdout.configs.site.file, "./site.conf", "on standard output, paths start at the project folder");
  });

  it("docker stack config resolves the written paths to the project's own files", { skip: stackConfigUnavailable() }, async (t) => {
    const p = project({
      "compose.yml": "services:\n  proxy:\n    image: nginx\n    volumes: [./static:/html]\n    configs: [site]\nconfigs:\n  site: {file: ./site.conf}\n",
      "site.conf": "x",
    });
    t.after(p.done);
    mkdirSync(join(p.dir, "deploy"));
    assert.equal((await runCli(["convert", "-o", "deploy/stack.yml"], p.dir)).code, 0);
    const read = parse(execFileSync(STACK_CONFIG_CLI, ["stack", "config", "-c", join(p.dir, "deploy", "stack.yml")], { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: p.dir } }));
    assert.equal(read.configs.site.file, join(p.dir, "site.conf"));
    assert.deepEqual(read.services.proxy.volumes, [{ type: "bind", source: join(p.dir, "static"), target: "/html" }]);
  });

  it("an -o file that cannot be written is a failure with a reason, not a crash", async (t) => {
    const p = project({ "compose.yml": COMPOSE });
    t.after(p.done);
    const run = await runCli(["convert", "-o", "missing-folder/stack.yml"], p.dir);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^podlike: cannot write missing-folder\/stack\.yml: .*\n  fix: /m);
    assert.doesNotMatch(run.stderr, /internal error/);
  });

  it("--check fails when the output file does not exist yet", async (t) => {
    const p = project({ "compose.yml": COMPOSE });
    t.after(p.done);
    const run = await runCli(["convert", "-o", "stack.yml", "--check"], p.dir);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /does not exist/);
    assert.equal(existsSync(join(p.dir, "stack.yml")), false);
  });

  it("--check without -o is a usage error", async (t) => {
    const p = project({ "compose.yml": COMPOSE });
    t.after(p.done);
    const run = await runCli(["convert", "--check"], p.dir);
    assert.equal(run.code, 2);
  });

  it("a missing file is a usage error; a lint error stops with exit 1 and nothing on stdout", async (t) => {
    const p = project({ "compose.yml": COMPOSE.replace("components: [app, proxy]", "components: [app, proxy, nothere]") });
    t.after(p.done);
    const missing = await runCli(["convert", "-f", "nope.yml"], p.dir);
    assert.equal(missing.code, 2);
    const bad = await runCli(["convert"], p.dir);
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, "");
    assert.match(bad.stderr, /^compose\.yml:\d+:\d+: error: .*\[UNKNOWN_MEMBER\]/m);
  });

  it("--controller-image wins over x-pods.<pod>.controller.image", async (t) => {
    const p = project({ "compose.yml": COMPOSE.replace("components: [app, proxy]", "components: [app, proxy]\n    controller:\n      image: mine/controller:1") });
    t.after(p.done);
    const fromFile = parse((await runCli(["convert"], p.dir)).stdout);
    assert.equal(fromFile.services.web.image, "mine/controller:1");
    const fromFlag = parse((await runCli(["convert", "--controller-image", "other/controller:2"], p.dir)).stdout);
    assert.equal(fromFlag.services.web.image, "other/controller:2");
  });

  it("the converted stack remembers where each service was written (for findings made at deploy)", async (t) => {
    const p = project({ "compose.yml": COMPOSE });
    t.after(p.done);
    const loaded = await loadProject({ files: [], cwd: p.dir, env: {} });
    const { value } = convertModel(loaded.value!);
    assert.ok(value);
    assert.equal(sourceAt(value.services, ["db", "image"])?.line, 9);
    assert.equal(sourceAt(value.services, ["web"], "key")?.line, 11, "a pod's service points at its x-pods entry");
  });
});
