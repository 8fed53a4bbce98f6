import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CgroupSetupError, CONTROLLER_LEAF, controllerCgroupPath, sealEnvelope, type CgroupFs } from "../../src/controller/cgroup2-setup.js";
import { isUnifiedOnly, sealV2Envelope, setupCreateBody } from "../../src/controller/cgroup2-envelope.js";
import { FakeEngine } from "../support/fake-engine.js";
import type { ContainerInfo } from "../../src/engine/container-engine.js";
import { planPod } from "../../src/controller/plan.js";
import { DEFAULT_FLAGS } from "../../src/controller/flags.js";
import { streamFrame } from "../support/stream-frames.js";

const ID = "c".repeat(64);

/**
 * A cgroup v2 hierarchy as the kernel keeps it: a process is in one cgroup, a write to
 * cgroup.procs moves it, and a cgroup holding processes refuses controllers for its children.
 */
class FakeCgroups implements CgroupFs {
  readonly procs = new Map<string, string[]>();
  readonly subtree = new Map<string, string[]>();
  constructor(readonly controllers: string, cgroups: Record<string, string[]>) {
    for (const [dir, pids] of Object.entries(cgroups)) this.procs.set(dir, [...pids]);
  }
  read(path: string): string | undefined {
    const dir = path.slice(0, path.lastIndexOf("/"));
    if (!this.procs.has(dir)) return undefined;
    if (path.endsWith("/cgroup.procs")) return this.procs.get(dir)!.map((p) => p + "\n").join("");
    if (path.endsWith("/cgroup.controllers")) return this.controllers + "\n";
    return undefined;
  }
  write(path: string, text: string): void {
    const dir = path.slice(0, path.lastIndexOf("/"));
    if (path.endsWith("/cgroup.procs")) {
      for (const pids of this.procs.values()) {
        const at = pids.indexOf(text);
        if (at >= 0) pids.splice(at, 1);
      }
      this.procs.get(dir)!.push(text);
    } else if (path.endsWith("/cgroup.subtree_control")) {
      if (this.procs.get(dir)!.length) throw Object.assign(new Error("EBUSY: resource busy"), { code: "EBUSY" });
      this.subtree.set(dir, text.split(" "));
    }
  }
  mkdir(path: string): void {
    this.procs.set(path, []);
  }
}

const controller: ContainerInfo = {
  id: ID, name: "web", imageId: "sha256:" + "1".repeat(64), labels: {}, running: true, status: "running", exitCode: 0,
  ipcMode: "private", pidMode: "", networkMode: "default", cgroupParent: "", mounts: [], tty: false,
};

describe("the pod's envelope on cgroup v2", () => {
  test("only a node with the unified hierarchy alone runs the setup", () => {
    assert.equal(isUnifiedOnly("0::/\n"), true);
    assert.equal(isUnifiedOnly(`12:memory:/docker/${ID}\n0::/system.slice/containerd.service\n`), false);
    assert.equal(isUnifiedOnly(undefined), false);
  });

  test("the controller's cgroup is under its own cgroup parent, else where the engine put the setup container", () => {
    assert.equal(controllerCgroupPath(ID, "", `0::/docker/${"d".repeat(64)}\n`), `/docker/${ID}`);
    assert.equal(controllerCgroupPath(ID, "", `0::/custom/parent/${"d".repeat(64)}\n`), `/custom/parent/${ID}`);
    assert.equal(controllerCgroupPath(ID, "pods", `0::/docker/${"d".repeat(64)}\n`), `/pods/${ID}`);
    assert.throws(() => controllerCgroupPath(ID, "", `12:memory:/docker/x\n`), CgroupSetupError);
    assert.throws(() => controllerCgroupPath(ID, "system.slice", "0::/\n"), /systemd/);
  });

  test("the controller's processes move into a leaf, then its children get memory, cpu and pids limits", () => {
    const dir = `/docker/${ID}`;
    const fs = new FakeCgroups("cpuset cpu io memory hugetlb pids rdma misc", { [dir]: ["1", "7"] });
    const enabled = sealEnvelope(fs, dir);
    assert.deepEqual(fs.procs.get(dir), [], "no process is left in the controller's cgroup");
    assert.deepEqual(fs.procs.get(`${dir}/${CONTROLLER_LEAF}`), ["1", "7"]);
    assert.deepEqual(enabled, ["cpu", "io", "memory", "pids"]);
    assert.deepEqual(fs.subtree.get(dir), ["+cpu", "+io", "+memory", "+pids"]);
    // a controller restarted in place finds the leaf made
    fs.procs.get(dir)!.push("9");
    sealEnvelope(fs, dir);
    assert.deepEqual(fs.procs.get(`${dir}/${CONTROLLER_LEAF}`), ["1", "7", "9"]);
  });

  test("a cgroup the node does not have is an error, not a silent success", () => {
    assert.throws(() => sealEnvelope(new FakeCgroups("memory", {}), `/docker/${ID}`), /not a cgroup of this node/);
  });

  test("the setup container sees the node's cgroups and processes, no other file of the node, and no network", () => {
    const { name, body } = setupCreateBody(controller);
    assert.equal(name, "web.podlike-cgroup-setup");
    const host = body.HostConfig!;
    assert.equal(host.CgroupnsMode, "host");
    assert.equal(host.PidMode, "host", "the controller's processes are numbered in the node's PID namespace");
    assert.equal(host.NetworkMode, "none");
    assert.deepEqual(host.Mounts, [{ Type: "bind", Source: "/sys/fs/cgroup", Target: "/podlike/host-cgroup" }]);
    assert.equal(host.Privileged, undefined);
    assert.equal(body.Image, controller.imageId);
    assert.deepEqual(body.Cmd, [ID, ""]);
  });

  test("sealed: members get the controller's cgroup as parent and the setup container is removed", async () => {
    const engine = new FakeEngine({ cgroup: { driver: "cgroupfs", version: "2" } });
    const ran = exitWith(engine, 0, `{"cgroup":"/docker/${ID}","controllers":["memory"]}\n`);
    const envelope = await sealV2Envelope(engine, controller, engine.cgroupSetup(), "1.41");
    assert.deepEqual(envelope, { kind: "nested", cgroupParent: `/docker/${ID}` });
    assert.equal(await ran, true);
    assert.equal(engine.byName("web.podlike-cgroup-setup"), undefined);
  });

  test("a sealed envelope is what the plan uses: the sandbox and members inside the controller's cgroup, no warning", () => {
    const limited = { ...controller, labels: { "pod.component.app": "image: busybox\n" }, limits: { memory: 64 * 1024 * 1024, nanoCpus: 0, pidsLimit: 0 } };
    const plan = planPod(limited, DEFAULT_FLAGS, { selfCgroup: "0::/\n", envelope: { kind: "nested", cgroupParent: `/docker/${ID}` } });
    assert.equal(plan.holder!.body.HostConfig!.CgroupParent, `/docker/${ID}`);
    const app = plan.components[0]!.body.HostConfig!;
    assert.equal(app.CgroupParent, `/docker/${ID}`);
    assert.equal(app.Memory, undefined, "no ceiling: the envelope limits the member");
    assert.deepEqual(plan.warnings, []);
    const fallback = planPod(limited, DEFAULT_FLAGS, { selfCgroup: "0::/\n", envelope: { kind: "ceiling", reason: "the setup failed" } });
    assert.equal(fallback.components[0]!.body.HostConfig!.Memory, 64 * 1024 * 1024);
    assert.match(fallback.warnings.join("\n"), /the setup failed/);
  });

  test("a failed setup falls back to the ceiling with the setup's own reason", async () => {
    const engine = new FakeEngine({ cgroup: { driver: "cgroupfs", version: "2" } });
    const ran = exitWith(engine, 1, "", "podlike: cgroup-setup: /docker/x is not a cgroup of this node\n");
    const envelope = await sealV2Envelope(engine, controller, engine.cgroupSetup(), "1.41");
    assert.equal(await ran, true);
    assert.equal(envelope.kind, "ceiling");
    assert.match((envelope as { reason: string }).reason, /exit 1.*not a cgroup of this node/);
    assert.equal(engine.byName("web.podlike-cgroup-setup"), undefined);
  });

  test("the systemd driver and an engine older than API 1.41 keep the ceiling and run nothing", async () => {
    const engine = new FakeEngine({ cgroup: { driver: "systemd", version: "2" } });
    const systemd = await sealV2Envelope(engine, controller, engine.cgroupSetup(), "1.41");
    assert.match((systemd as { reason: string }).reason, /systemd cgroup driver/);
    const old = await sealV2Envelope(engine, controller, Promise.resolve({ driver: "cgroupfs", version: "2" }), "1.40");
    assert.match((old as { reason: string }).reason, /API 1.41/);
    assert.equal(engine.calls.filter((c) => c.startsWith("create")).length, 0);
  });
});

/** When the setup container starts, it writes its output and exits with `code`; resolves true once it ran. */
function exitWith(engine: FakeEngine, code: number, stdout: string, stderr = ""): Promise<boolean> {
  return new Promise((resolve) => {
    const started = setInterval(() => {
      const c = engine.byName("web.podlike-cgroup-setup");
      if (c?.status !== "running") return;
      clearInterval(started);
      if (stdout) engine.output(c.id, streamFrame(1, stdout));
      if (stderr) engine.output(c.id, streamFrame(2, stderr));
      engine.exit(c.id, code);
      resolve(true);
    }, 1);
  });
}
