/**
 * The controller on a real engine, the happy path: one `docker run` of the
 * controller image with two busybox components that share network, PID and
 * IPC namespaces, get their pod.copy files, log through the controller, make
 * the controller healthy, and are all removed when it gets SIGTERM.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";
import {
  component,
  controllerLogs,
  ensureControllerImage,
  exec,
  exitCodeOf,
  inspect,
  podContainers,
  removePod,
  runController,
  waitFor,
} from "../controller/e2e-support.js";

describe("controller: a pod on a real engine", e2eOptions(), () => {
  const name = testName("ctl-pod");
  const files = mkdtempSync(join(tmpdir(), "podliketest-"));
  let id = "";

  before(() => {
    ensureControllerImage();
    writeFileSync(join(files, "index.html"), "hello from the pod\n");
    chmodSync(join(files, "index.html"), 0o644);
    id = runController(name, {
      labels: {
        "pod.component.app": component([
          `image: ${BUSYBOX}`,
          // a line to stdout and one to stderr, then a web server on :3000
          `command: ["sh", "-c", "echo app-ready; echo app-warning >&2; echo shm-from-app > /dev/shm/podliketest; exec httpd -f -p 3000 -h /www"]`,
          "init: true",
        ]),
        // with a TTY the engine sends one raw stream, no frames
        "pod.component.probe": component([`image: ${BUSYBOX}`, `command: ["sh", "-c", "echo tty-line; exec sleep 3600"]`, "init: true", "tty: true"]),
        // an init that prints and exits at once: the engine removes it at its exit, its line must still be read
        "pod.init.components": `- {image: ${BUSYBOX}, command: ["sh", "-c", "echo migrated; exit 0"], x-podlike-name: migrate}`,
        "pod.copy.app": "- source: /run/files/index.html\n  target: /www/index.html\n  mode: '0640'\n  uid: 33\n  gid: 34\n",
      },
      flags: ["--logs"],
      dockerArgs: ["-v", `${files}:/run/files:ro`, "--health-interval=500ms", "--health-start-period=0s", "--health-retries=1"],
    });
  });

  after(() => {
    removePod(name, id);
    rmSync(files, { recursive: true, force: true });
  });

  test("starts every component in the controller's network namespace and the sandbox's PID namespace", async () => {
    const containers = await waitFor("two running components", () => {
      const list = podContainers(id);
      return list.filter((c) => c.state === "running").length === 3 ? list : undefined;
    });
    assert.deepEqual(
      containers.map((c) => c.name),
      [`${name}.podlike-sandbox`, `${name}.podlike.app`, `${name}.podlike.probe`],
    );
    assert.equal(inspect(`${name}.podlike.app`, "{{.HostConfig.NetworkMode}}"), `container:${id}`);
    // the engine stores the joined container by id
    assert.equal(inspect(`${name}.podlike.app`, "{{.HostConfig.PidMode}}"), `container:${inspect(`${name}.podlike-sandbox`, "{{.Id}}")}`);
  });

  test("a component reaches another's port on localhost", async () => {
    const reply = await waitFor("the web server", () => {
      const out = exec(`${name}.podlike.probe`, "printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc 127.0.0.1 3000");
      return out.includes("hello from the pod") ? out : undefined;
    });
    assert.match(reply, /200 OK/);
  });

  test("the pod.copy file arrived with its mode and owner", () => {
    assert.equal(exec(`${name}.podlike.app`, "stat -c '%a %u %g' /www/index.html"), "640 33 34");
    assert.equal(exec(`${name}.podlike.app`, "cat /www/index.html"), "hello from the pod");
  });

  test("components see each other's processes", () => {
    const ps = exec(`${name}.podlike.probe`, "ps");
    assert.match(ps, /httpd -f -p 3000/);
  });

  test("components share one IPC namespace (/dev/shm)", () => {
    assert.equal(exec(`${name}.podlike.probe`, "cat /dev/shm/podliketest"), "shm-from-app");
    const appIpc = exec(`${name}.podlike.app`, "readlink /proc/self/ns/ipc");
    assert.equal(exec(`${name}.podlike.probe`, "readlink /proc/self/ns/ipc"), appIpc);
  });

  test("component output appears prefixed on the controller's stdout and stderr", async () => {
    const logs = await waitFor("prefixed logs", () => {
      const l = controllerLogs(name);
      return l.stdout.includes("app | app-ready") ? l : undefined;
    });
    assert.match(logs.stderr, /^app \| app-warning$/m);
    assert.match(logs.stdout, /^migrate \| migrated$/m);
    assert.match((await waitFor("TTY logs", () => (controllerLogs(name).stdout.includes("probe | tty-line") ? controllerLogs(name) : undefined))).stdout, /^probe \| tty-line$/m);
    assert.doesNotMatch(logs.stdout, /app-warning/);
  });

  test("the controller becomes healthy", async () => {
    await waitFor("healthy", () => inspect(name, "{{.State.Health.Status}}") === "healthy", 20_000);
    assert.match(docker(["exec", name, "podlike", "healthcheck"]), /^healthy: app running, probe running$/);
  });

  test("SIGTERM removes every component and the controller exits 0", async () => {
    const started = Date.now();
    docker(["kill", "--signal", "TERM", name]);
    assert.equal(await exitCodeOf(name), 0);
    assert.deepEqual(podContainers(id), []);
    assert.ok(Date.now() - started < 15_000, "teardown should not wait for grace periods");
  });
});
