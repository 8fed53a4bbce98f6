/**
 * The pod's resource envelope on a real engine: the components live inside
 * the controller's cgroup, so the pod's memory use counts theirs and the
 * pod's memory limit stops a component that outgrows it, which Swarm sees as
 * the task failing. Runs on the host's engine (cgroup v1) and, by
 * `npm run test:cgroup2`, on a cgroup v2 guest's (scripts/vm-lab).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";
import { CONTROLLER_IMAGE, component, controllerLogs, ensureControllerImage, inspect, podContainers, removePod, runController, waitFor } from "../controller/e2e-support.js";

const MiB = 1024 * 1024;

/** "1" or "2": which cgroup hierarchy the engine's node has. */
const cgroupVersion = (): string => docker(["info", "--format", "{{.CgroupVersion}}"]);

/** The cgroup of a process of the node, as the node sees it: the memory hierarchy's on v1, the unified one on v2. */
function nodeCgroupOf(pid: string): string {
  const line = cgroupVersion() === "2" ? "^0::" : ":memory:";
  return docker(["run", "--rm", "--pid", "host", "--cgroupns", "host", BUSYBOX, "sh", "-c", `grep '${line}' /proc/${pid}/cgroup`]).replace(/^[^/]*/, "");
}

/** The memory a container's cgroup charges, by `docker stats` (the figure a user sees). */
function statsMemory(container: string): number {
  const usage = docker(["stats", "--no-stream", "--format", "{{.MemUsage}}", container]).split("/")[0]!.trim();
  const m = /^([\d.]+)\s*([KMG]i?B|B)$/.exec(usage);
  assert.ok(m, `docker stats said ${usage}`);
  const unit = { B: 1, KiB: 1024, MiB, GiB: 1024 * MiB, kB: 1000, MB: 1e6, GB: 1e9 }[m[2]!] ?? 1;
  return Number(m[1]) * unit;
}

describe("pod resource envelope", e2eOptions(), () => {
  const name = testName("envelope");
  const service = testName("envelope-svc");
  let id = "";
  let serviceControllers: string[] = [];

  before(() => ensureControllerImage());

  after(() => {
    removePod(name, id);
    docker(["service", "rm", service], { allowFail: true });
    for (const controller of serviceControllers) removePod(controller, controller);
  });

  test("components run inside the controller's cgroup, so the controller's memory usage includes theirs", async () => {
    id = runController(name, {
      labels: {
        // holds 100 MB in a tmpfs of its own: shared memory, charged to the component's cgroup
        "pod.component.holder": component([`image: ${BUSYBOX}`, `command: ["sh", "-c", "head -c 104857600 /dev/zero > /big/fill; echo held > /tmp/held; exec sleep 3600"]`, "init: true", "tmpfs: /big:size=200m"]),
      },
      dockerArgs: ["--memory", "512m"],
    });
    const holder = `${name}.podlike.holder`;
    await waitFor("the component holding its memory", () => docker(["exec", holder, "cat", "/tmp/held"], { allowFail: true }) === "held", 180_000);
    assert.match(nodeCgroupOf(inspect(holder, "{{.State.Pid}}")), new RegExp(`/${id}/[0-9a-f]{64}$`), "the component's cgroup is a child of the controller's");
    assert.ok(statsMemory(name) >= 100 * MiB, `the controller's usage (${statsMemory(name)} B) counts the component's 100 MB`);
    assert.doesNotMatch(controllerLogs(name).stderr, /cannot cover its members/, "no fallback to per-member limits");
    const v2 = cgroupVersion() === "2";
    const controllerCgroup = v2 ? nodeCgroupOf(inspect(name, "{{.State.Pid}}")) : "";
    if (v2) {
      // a cgroup with children holds no process on v2: the controller itself runs in a leaf of its cgroup
      assert.match(controllerCgroup, new RegExp(`/${id}/podlike-controller$`));
      assert.deepEqual(docker(["ps", "-aq", "--filter", `name=${name}.podlike-cgroup-setup`]), "", "the setup container is gone");
    }
    // the engine's health check runs in the controller's container (docker exec), and still can
    await waitFor("the controller healthy", () => inspect(name, "{{.State.Health.Status}}") === "healthy", 180_000);
    assert.equal(docker(["exec", name, "node", "-e", "console.log('exec works')"]), "exec works");
    if (v2) {
      removePod(name, id);
      const cgroupDir = controllerCgroup.slice(0, controllerCgroup.lastIndexOf("/"));
      const left = docker(["run", "--rm", "--cgroupns", "host", "-v", "/sys/fs/cgroup:/cg:ro", BUSYBOX, "sh", "-c", `ls -d /cg${cgroupDir} 2>/dev/null; true`]);
      assert.equal(left, "", "the controller's cgroup, the leaf made for it included, goes with the pod");
    }
  });

  test("a pod service limited to 64 MB whose component allocates 128 MB: the component is OOM-killed and Swarm sees the task fail", async () => {
    docker([
      "service", "create", "--detach", "--quiet", "--no-resolve-image", "--name", service,
      "--restart-condition", "none", "--limit-memory", "64m",
      "--mount", "type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock",
      "--container-label", `pod.component.hog=${component([`image: ${BUSYBOX}`, `command: ["sh", "-c", "sleep 2; exec dd if=/dev/zero of=/dev/null bs=128M count=1"]`])}`,
      CONTROLLER_IMAGE,
    ]);
    const task = await waitFor(
      "the task to fail",
      () => {
        const line = docker(["service", "ps", service, "--no-trunc", "--format", "{{.CurrentState}}|{{.Error}}"]).split("\n")[0] ?? "";
        if (line) serviceControllers = docker(["ps", "-aq", "--no-trunc", "--filter", `label=com.docker.swarm.service.name=${service}`]).split("\n").filter(Boolean);
        return /^(Failed|Complete|Shutdown|Rejected)/.test(line) ? line : undefined;
      },
      300_000,
      1000,
    );
    assert.match(task, /^Failed.*\|"?task: non-zero exit \(137\)"?$/);
    const controller = serviceControllers[0]!;
    assert.match(controllerLogs(controller).stderr, /component hog exited with code 137/);
    assert.deepEqual(podContainers(controller), [], "the controller removed its component before exiting");
  });
});
