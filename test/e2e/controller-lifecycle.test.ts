/**
 * The controller's life on a real engine beyond the happy path: component
 * exit codes, init components, depends_on gating, shared named volumes,
 * signals during start-up, orphans of a killed controller, restart in place,
 * and bad labels. Components trap TERM (or run with init) so stops are quick.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { BUSYBOX, DOCKER, docker, e2eOptions, testName } from "../support/engine.js";
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

const SLEEPER = component([`image: ${BUSYBOX}`, "command: sleep 3600", "init: true"]);

describe("controller lifecycle on a real engine", e2eOptions(), () => {
  const created: { name: string; id?: string }[] = [];
  const volumes: string[] = [];
  const start = (purpose: string, options: Parameters<typeof runController>[1]) => {
    const name = testName(purpose);
    const entry: { name: string; id?: string } = { name };
    created.push(entry);
    entry.id = runController(name, options);
    return { name, id: entry.id };
  };
  const running = (id: string, count: number) => () => podContainers(id).filter((c) => c.state === "running").length === count;

  before(() => ensureControllerImage());
  after(() => {
    for (const { name, id } of created) removePod(name, id);
    for (const volume of volumes) docker(["volume", "rm", "-f", volume], { allowFail: true });
  });

  test("a component that exits removes the whole pod; the controller exits with its code", async () => {
    const { name, id } = start("ctl-exit", {
      labels: {
        "pod.component.app": SLEEPER,
        "pod.component.job": component([`image: ${BUSYBOX}`, `command: ["sh", "-c", "sleep 1; exit 3"]`]),
      },
      flags: ["--no-ipc"],
    });
    assert.equal(await exitCodeOf(name), 3);
    assert.deepEqual(podContainers(id), []);
    assert.match(controllerLogs(name).stderr, /component job exited with code 3/);
  });

  test("a component that exits at once, auto-removed before the controller can inspect it, is reported with its own exit code", async () => {
    const { name, id } = start("ctl-exit-now", {
      labels: {
        "pod.component.app": SLEEPER,
        "pod.component.job": component([`image: ${BUSYBOX}`, `command: ["sh", "-c", "exit 7"]`]),
      },
      flags: ["--no-ipc"],
    });
    assert.equal(await exitCodeOf(name), 7);
    assert.deepEqual(podContainers(id), []);
    assert.match(controllerLogs(name).stderr, /pod removed; exit code 7/);
    assert.match(controllerLogs(name).stderr, /component job exited with code 7/);
  });

  test("init components run in order before the components; a failing one ends the pod with its code", async () => {
    const ok = start("ctl-init", {
      labels: {
        "pod.init.components": [
          `- {image: ${BUSYBOX}, command: ["sh", "-c", "echo one >> /dev/shm/order"], x-podlike-name: first}`,
          `- {image: ${BUSYBOX}, command: ["sh", "-c", "sleep 0.3; echo two >> /dev/shm/order"], x-podlike-name: second}`,
        ].join("\n"),
        "pod.component.app": SLEEPER,
      },
    });
    await waitFor("the component", () => podContainers(ok.id).some((c) => c.name.endsWith(".podlike.app") && c.state === "running"));
    assert.equal(exec(`${ok.name}.podlike.app`, "cat /dev/shm/order"), "one\ntwo");
    assert.deepEqual(podContainers(ok.id).map((c) => c.name), [`${ok.name}.podlike-sandbox`, `${ok.name}.podlike.app`], "init containers are removed");

    const failing = start("ctl-initfail", {
      labels: {
        "pod.init.components": `- {image: ${BUSYBOX}, command: ["sh", "-c", "exit 4"], x-podlike-name: migrate}`,
        "pod.component.app": SLEEPER,
      },
    });
    assert.equal(await exitCodeOf(failing.name), 4);
    assert.deepEqual(podContainers(failing.id), []);
    assert.doesNotMatch(controllerLogs(failing.name).stderr, /pod running/);
  });

  test("depends_on service_healthy: the dependent starts only once the dependency is healthy", async () => {
    const { name, id } = start("ctl-dep", {
      labels: {
        "pod.component.db": component([
          `image: ${BUSYBOX}`,
          `command: ["sh", "-c", "sleep 2; touch /tmp/ready; exec sleep 3600"]`,
          "init: true",
          "healthcheck: {test: [CMD, test, -f, /tmp/ready], interval: 300ms, retries: 20}",
        ]),
        "pod.component.web": component([`image: ${BUSYBOX}`, "command: sleep 3600", "init: true", "depends_on: {db: {condition: service_healthy}}"]),
      },
      flags: ["--no-ipc"],
    });
    await waitFor("both running (and the sandbox)", running(id, 3), 30_000);
    const dbStarted = Date.parse(inspect(`${name}.podlike.db`, "{{.State.StartedAt}}"));
    const webStarted = Date.parse(inspect(`${name}.podlike.web`, "{{.State.StartedAt}}"));
    assert.ok(webStarted - dbStarted >= 2000, `web started ${webStarted - dbStarted} ms after db`);
    assert.equal(inspect(`${name}.podlike.db`, "{{.State.Health.Status}}"), "healthy");
  });

  test("a stack volume mounted on the controller is shared by components that name it", async () => {
    const stack = testName("stk");
    const volume = `${stack}_logs`;
    volumes.push(volume);
    docker(["volume", "create", volume]);
    const { name, id } = start("ctl-vol", {
      labels: {
        "pod.component.writer": component([`image: ${BUSYBOX}`, `command: ["sh", "-c", "echo written > /data/file; exec sleep 3600"]`, "init: true", "volumes: [logs:/data]"]),
        "pod.component.reader": component([`image: ${BUSYBOX}`, "command: sleep 3600", "init: true", "volumes: [logs:/logs:ro]"]),
      },
      dockerArgs: ["-v", `${volume}:/mnt/logs`],
      flags: ["--no-ipc"],
    });
    await waitFor("both running (and the sandbox)", running(id, 3));
    assert.equal(await waitFor("the file", () => exec(`${name}.podlike.reader`, "cat /logs/file 2>/dev/null || true") || undefined), "written");
    assert.match(inspect(`${name}.podlike.reader`, "{{range .Mounts}}{{.Name}} {{end}}"), new RegExp(volume));
  });

  test("SIGTERM while a component waits on its dependency: everything removed, exit 0", async () => {
    const { name, id } = start("ctl-early", {
      labels: {
        "pod.component.db": component([`image: ${BUSYBOX}`, "command: sleep 3600", "init: true", "healthcheck: {test: [CMD, \"false\"], interval: 1s, retries: 100}"]),
        "pod.component.web": component([`image: ${BUSYBOX}`, "command: sleep 3600", "init: true", "depends_on: {db: {condition: service_healthy}}"]),
      },
    });
    await waitFor("db running", () => podContainers(id).some((c) => c.name.endsWith(".db") && c.state === "running"));
    assert.equal(podContainers(id).find((c) => c.name.endsWith(".web"))?.state, "created");
    docker(["kill", "--signal", "TERM", name]);
    assert.equal(await exitCodeOf(name, 20_000), 0);
    assert.deepEqual(podContainers(id), []);
  });

  test("components left running by a SIGKILLed controller (--no-pids) are removed by the next controller", async () => {
    const first = start("ctl-killed", { labels: { "pod.component.app": SLEEPER }, flags: ["--no-pids", "--no-ipc"] });
    await waitFor("first pod", running(first.id, 1));
    docker(["kill", "--signal", "KILL", first.name]);
    await exitCodeOf(first.name);
    docker(["rm", "-f", first.name]);
    // (any controller starting on this engine sweeps orphans: one from a concurrent test may be first)
    const orphans = podContainers(first.id);
    assert.ok(orphans.length === 0 || orphans[0]!.state === "running", "the orphan kept running after its controller died");

    const second = start("ctl-next", { labels: { "pod.component.app": SLEEPER }, flags: ["--no-ipc"] });
    await waitFor("second pod (its component and sandbox)", running(second.id, 2));
    await waitFor("orphans removed", () => podContainers(first.id).length === 0);
    if (orphans.length) assert.match(controllerLogs(second.name).stderr, /removed .*ctl-killed.*\.podlike\.app: left behind by controller/);
  });

  test("a controller restarted in place after SIGKILL comes up cleanly and healthy", async () => {
    const { name, id } = start("ctl-restart", {
      labels: { "pod.component.app": SLEEPER },
      dockerArgs: ["--health-interval=500ms", "--health-start-period=0s", "--health-retries=1"],
    });
    await waitFor("healthy", () => inspect(name, "{{.State.Health.Status}}") === "healthy", 20_000);
    docker(["kill", "--signal", "KILL", name]);
    await exitCodeOf(name);
    // the sandbox ends with the controller's link, the kernel kills the pod's processes, the engine removes the containers
    await waitFor("the first run's containers gone before any restart", () => podContainers(id).length === 0, 60_000);
    docker(["start", name]);
    await waitFor("healthy again", () => inspect(name, "{{.State.Health.Status}}") === "healthy" && podContainers(id).every((c) => c.state === "running"), 20_000);
    assert.equal(podContainers(id).length, 2, "one component and the sandbox, none left from the first run");
  });

  test("the controller's health follows its components: starting, healthy, unhealthy, healthy again", async () => {
    const { name, id } = start("ctl-health", {
      labels: {
        "pod.component.app": component([
          `image: ${BUSYBOX}`,
          `command: ["sh", "-c", "touch /tmp/ok; exec sleep 3600"]`,
          "init: true",
          "healthcheck: {test: [CMD, test, -f, /tmp/ok], interval: 300ms, retries: 1}",
        ]),
        "pod.component.plain": SLEEPER,
      },
      flags: ["--no-ipc"],
      dockerArgs: ["--health-interval=300ms", "--health-start-period=0s", "--health-retries=1"],
    });
    assert.equal(inspect(name, "{{.State.Health.Status}}"), "starting");
    await waitFor("healthy", () => inspect(name, "{{.State.Health.Status}}") === "healthy", 20_000);
    exec(`${name}.podlike.app`, "rm /tmp/ok");
    await waitFor("unhealthy", () => inspect(name, "{{.State.Health.Status}}") === "unhealthy", 20_000);
    const check = spawnSync(DOCKER, ["exec", name, "podlike", "healthcheck"], { encoding: "utf8" });
    assert.equal(check.status, 1);
    assert.match(check.stdout, /^unhealthy: app unhealthy, plain running$/m);
    exec(`${name}.podlike.app`, "touch /tmp/ok");
    await waitFor("healthy again", () => inspect(name, "{{.State.Health.Status}}") === "healthy", 20_000);
    assert.equal(podContainers(id).length, 3, "an unhealthy component is reported, not removed (two components and the sandbox)");
  });

  test("an image the node lacks: the create says so, the pull is tried, and its failure ends the pod naming the component and image", async () => {
    const missing = `${testName("no-such-image")}:1`;
    const { name, id } = start("ctl-no-image", {
      labels: { "pod.component.app": SLEEPER, "pod.component.gone": component([`image: ${missing}`, "command: sleep 3600"]) },
    });
    assert.equal(await exitCodeOf(name), 1);
    const stderr = controllerLogs(name).stderr;
    assert.match(stderr, new RegExp(`pulling ${missing}`));
    assert.match(stderr, new RegExp(`component gone: cannot get image ${missing}: `));
    assert.deepEqual(podContainers(id), []);
  });

  test("a bad label: non-zero exit naming the label, and no container created", async () => {
    const { name, id } = start("ctl-bad", {
      labels: { "pod.component.app": SLEEPER, "pod.component.broken": "image: [unclosed" },
    });
    assert.equal(await exitCodeOf(name), 1);
    assert.match(controllerLogs(name).stderr, /pod\.component\.broken: is not valid YAML/);
    assert.deepEqual(podContainers(id), []);
  });
});
