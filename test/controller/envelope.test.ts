import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { applyCeiling, podEnvelope } from "../../src/controller/envelope.js";
import { planPod } from "../../src/controller/plan.js";
import { DEFAULT_FLAGS } from "../../src/controller/flags.js";
import type { ContainerInfo } from "../../src/engine/container-engine.js";

const ID = "c".repeat(64);
const V1_CGROUPFS = `12:memory:/docker/${ID}\n11:pids:/docker/${ID}\n1:name=systemd:/docker/${ID}\n0::/system.slice/containerd.service\n`;
const V1_SWARM_PARENT = `9:memory:/swarm-pods/${ID}\n`;
const V1_SYSTEMD = `12:memory:/system.slice/docker-${ID}.scope\n`;
const V2 = "0::/\n";

const controller: ContainerInfo = {
  id: ID, name: "web", imageId: "sha256:" + "1".repeat(64), labels: { "pod.component.app": "image: busybox\nmem_limit: 512m", "pod.component.small": "image: busybox\nmem_limit: 16m" },
  running: true, status: "running", exitCode: 0, ipcMode: "private", pidMode: "", networkMode: "default", cgroupParent: "", mounts: [], tty: false,
  limits: { memory: 64 * 1024 * 1024, nanoCpus: 500_000_000, pidsLimit: 100 },
};

describe("the pod's resource envelope", () => {
  test("cgroup v1 with cgroupfs: members are created inside the controller's cgroup, wherever the engine put it", () => {
    assert.deepEqual(podEnvelope(ID, V1_CGROUPFS), { kind: "nested", cgroupParent: `/docker/${ID}` });
    assert.deepEqual(podEnvelope(ID, V1_SWARM_PARENT), { kind: "nested", cgroupParent: `/swarm-pods/${ID}` });
  });

  test("systemd driver, cgroup v2 and an unreadable /proc/self/cgroup fall back to a ceiling, each with its reason", () => {
    assert.match((podEnvelope(ID, V1_SYSTEMD) as { reason: string }).reason, /systemd cgroup driver/);
    assert.match((podEnvelope(ID, V2) as { reason: string }).reason, /cgroup v2/);
    assert.match((podEnvelope(ID, undefined) as { reason: string }).reason, /cannot be read/);
    assert.equal(podEnvelope(ID, `5:memory:/\n`).kind, "ceiling");
  });

  test("nested: the sandbox and every member get the controller's cgroup as parent, keep their own limits, and are the OOM killer's first choice", () => {
    const plan = planPod(controller, DEFAULT_FLAGS, { selfCgroup: V1_CGROUPFS });
    assert.equal(plan.holder!.body.HostConfig!.CgroupParent, `/docker/${ID}`);
    const app = plan.components.find((c) => c.name === "app")!.body.HostConfig!;
    assert.equal(app.CgroupParent, `/docker/${ID}`);
    assert.equal(app.Memory, 512 * 1024 * 1024, "a member's own limit still applies inside the envelope");
    assert.equal(app.OomScoreAdj, 1000);
    assert.deepEqual(plan.warnings, []);
  });

  test("ceiling: each member gets the pod's limits where it sets none or a larger one, and the controller warns once", () => {
    const plan = planPod(controller, DEFAULT_FLAGS, { selfCgroup: V1_SYSTEMD });
    const app = plan.components.find((c) => c.name === "app")!.body.HostConfig!;
    const small = plan.components.find((c) => c.name === "small")!.body.HostConfig!;
    assert.deepEqual([app.Memory, app.NanoCpus, app.PidsLimit], [64 * 1024 * 1024, 500_000_000, 100]);
    assert.equal(small.Memory, 16 * 1024 * 1024);
    assert.equal(app.CgroupParent, undefined);
    assert.equal(plan.warnings.length, 1);
    assert.match(plan.warnings[0]!, /cannot cover its members as one envelope \(the engine uses the systemd cgroup driver.*\): each member gets the pod's limits as its own instead/);
    // a pod without limits has nothing to warn about
    assert.deepEqual(planPod({ ...controller, limits: { memory: 0, nanoCpus: 0, pidsLimit: 0 } }, DEFAULT_FLAGS, { selfCgroup: V2 }).warnings, []);
  });

  test("the ceiling leaves a member's CPU quota alone and a smaller swap limit is dropped rather than refused", () => {
    const host: Record<string, unknown> = { CpuQuota: 50_000, MemorySwap: 32 * 1024 * 1024 };
    applyCeiling(host, { memory: 64 * 1024 * 1024, nanoCpus: 1e9, pidsLimit: 0 });
    assert.deepEqual(host, { CpuQuota: 50_000, Memory: 64 * 1024 * 1024 });
  });
});
