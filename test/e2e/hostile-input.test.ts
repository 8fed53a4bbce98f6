/**
 * Odd and hostile input on a real engine: members named like methods of
 * every JavaScript object deploy and run as a pod under their own names; a
 * config file that is a FIFO stops deploy before it creates anything; a
 * pod.copy source that is a device stops the controller before it creates
 * anything.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";
import { CONTROLLER_IMAGE, component, controllerLogs, ensureControllerImage, inspect, podContainers, removePod, runController, waitFor } from "../controller/e2e-support.js";
import { runPodlike } from "../support/run-podlike.js";

const NS = "com.docker.stack.namespace";

const podlike = (args: string[], cwd: string) => runPodlike(args, { cwd });

const list = (kind: string, stack: string) => docker([kind, "ls", "-q", "--filter", `label=${NS}=${stack}`], { allowFail: true }).split("\n").filter(Boolean);

async function removeStack(stack: string): Promise<void> {
  const services = list("service", stack);
  if (services.length) docker(["service", "rm", ...services], { allowFail: true });
  await waitFor(`the tasks of ${stack} to go`, () => docker(["ps", "-aq", "--filter", `name=${stack}_`], { allowFail: true }) === "", 60_000, 500).catch(() => undefined);
  for (const kind of ["config", "secret", "network"]) {
    const ids = list(kind, stack);
    if (ids.length) docker([kind, "rm", ...ids], { allowFail: true });
  }
}

const LOOP = `["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`;

describe("deploy: a pod whose members are named constructor, toString and hasOwnProperty", e2eOptions(), () => {
  const stack = testName("protonames");
  const dir = mkdtempSync(join(tmpdir(), "podliketest-protonames-"));

  before(() => {
    ensureControllerImage();
    writeFileSync(join(dir, "app.conf"), "copied into constructor\n");
    writeFileSync(
      join(dir, "compose.yml"),
      `services:
  constructor:
    image: ${BUSYBOX}
    command: ${LOOP}
    depends_on: [toString]
    configs: [{source: hasOwnProperty, target: /etc/app.conf}]
  toString:
    image: ${BUSYBOX}
    command: ${LOOP}
  hasOwnProperty:
    image: ${BUSYBOX}
    command: ${LOOP}
configs:
  hasOwnProperty:
    file: ./app.conf
x-pods:
  valueOf:
    components: [constructor, toString, hasOwnProperty]
    controller:
      image: ${CONTROLLER_IMAGE}
`,
    );
  });
  after(async () => {
    await removeStack(stack);
    rmSync(dir, { recursive: true, force: true });
  });

  test("deploys, and the controller runs each component under its own name with its pod.copy file", async () => {
    const result = await podlike(["deploy", "-c", "compose.yml", "--timeout", "120", stack], dir);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    // under load a task may be replaced: look for the components of whichever task runs
    const running = await waitFor(
      "three running components",
      () => {
        const lines = docker(["ps", "--filter", `name=${stack}_valueOf.`, "--filter", "label=podlike.role=component", "--format", '{{.ID}} {{.Names}}'], { allowFail: true });
        const components = lines.split("\n").filter(Boolean).map((line) => ({ id: line.split(" ")[0]!, name: line.split(" ")[1]! }));
        return components.length === 3 ? components : undefined;
      },
      180_000,
      1000,
    );
    const names = running.map((c) => inspect(c.id, '{{index .Config.Labels "podlike.component"}}')).sort();
    assert.deepEqual(names, ["constructor", "hasOwnProperty", "toString"]);
    const constructorId = running.find((c) => c.name.endsWith(".podlike.constructor"))!.id;
    assert.equal(docker(["exec", constructorId, "cat", "/etc/app.conf"]), "copied into constructor");
  });
});

describe("deploy: a config file that is a FIFO", e2eOptions(), () => {
  const stack = testName("fifo");
  const dir = mkdtempSync(join(tmpdir(), "podliketest-fifo-"));
  after(async () => {
    await removeStack(stack);
    rmSync(dir, { recursive: true, force: true });
  });

  test("is refused at its line before anything is created", async () => {
    execFileSync("mkfifo", [join(dir, "app.conf")]);
    writeFileSync(join(dir, "compose.yml"), `services:\n  web:\n    image: ${BUSYBOX}\n    configs: [app]\nconfigs:\n  app:\n    file: ./app.conf\n`);
    const result = await podlike(["deploy", "-c", "compose.yml", "--detach", stack], dir);
    assert.equal(result.code, 1, result.stderr + result.stdout);
    assert.match(result.stderr, /compose\.yml:7:11: error: config "app": file .*app\.conf is a FIFO \(named pipe\), not a regular file \[OBJECT_FILE\]/);
    for (const kind of ["service", "network", "config"]) assert.deepEqual(list(kind, stack), [], `no ${kind} of the stack`);
  });
});

describe("controller: a pod.copy source that is a device", e2eOptions(), () => {
  const name = testName("ctl-devzero");
  let id = "";
  before(() => ensureControllerImage());
  after(() => removePod(name, id));

  test("exits non-zero naming the label, and creates no component", async () => {
    id = runController(name, {
      labels: {
        "pod.component.app": component([`image: ${BUSYBOX}`, `command: ${LOOP}`]),
        "pod.copy.app": "- source: /dev/zero\n  target: /data/zero\n",
      },
    });
    const status = await waitFor("the controller to exit", () => (inspect(name, "{{.State.Status}}") === "exited" ? inspect(name, "{{.State.ExitCode}}") : undefined), 60_000, 300);
    assert.notEqual(status, "0");
    const logs = controllerLogs(name);
    assert.match(logs.stdout + logs.stderr, /pod\.copy\.app.*\/dev\/zero is a device, not a regular file/);
    assert.deepEqual(podContainers(id), []);
  });
});
