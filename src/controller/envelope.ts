/**
 * The pod's resource envelope. Swarm puts the pod service's limits on the
 * controller's cgroup; the components and the sandbox are created inside that
 * cgroup (HostConfig.CgroupParent), so the limits cover the whole pod, as a
 * Kubernetes pod cgroup does, and a member's own limits still apply inside.
 *
 * That needs the cgroupfs driver on cgroup v1, where a cgroup may hold both
 * processes and child cgroups. Where it cannot be made (the systemd driver
 * names scopes, not paths, and cannot nest under another container's scope;
 * cgroup v2 lets no cgroup holding a process, here the controller, give
 * resources to children) the pod falls back to a ceiling: every member gets
 * the pod's limits as its own where it sets none lower, and the controller
 * says why once at start.
 */
import type { ContainerInfo, ContainerLimits } from "../engine/container-engine.js";

export type Envelope =
  | { kind: "nested"; cgroupParent: string }
  | { kind: "ceiling"; reason: string };

/**
 * Where the controller's own cgroup is, from /proc/self/cgroup as the
 * controller sees it (the memory hierarchy's line on cgroup v1).
 */
export function podEnvelope(controllerId: string, procSelfCgroup: string | undefined): Envelope {
  if (procSelfCgroup === undefined) return { kind: "ceiling", reason: "/proc/self/cgroup cannot be read" };
  const lines = procSelfCgroup.split("\n").filter(Boolean).map((line) => {
    const first = line.indexOf(":");
    const second = line.indexOf(":", first + 1);
    return { controllers: line.slice(first + 1, second).split(","), path: line.slice(second + 1) };
  });
  const memory = lines.find((l) => l.controllers.includes("memory"));
  if (!memory) {
    if (lines.some((l) => l.controllers.length === 1 && l.controllers[0] === "")) {
      return { kind: "ceiling", reason: "the node uses cgroup v2, where the controller's cgroup cannot also hold the components' cgroups" };
    }
    return { kind: "ceiling", reason: "the node has no memory cgroup" };
  }
  if (memory.path.endsWith(`/docker-${controllerId}.scope`)) {
    return { kind: "ceiling", reason: "the engine uses the systemd cgroup driver, which cannot create containers inside another container's scope" };
  }
  if (!memory.path.endsWith(`/${controllerId}`)) {
    return { kind: "ceiling", reason: `the controller's cgroup ${memory.path || "/"} is not one the engine's cgroupfs driver made for it (a private cgroup namespace?)` };
  }
  return { kind: "nested", cgroupParent: memory.path };
}

/**
 * The fallback: the pod's memory, CPU and PID limits become each member's
 * own where it sets none or a larger one.
 */
export function applyCeiling(host: Record<string, unknown>, pod: ContainerLimits): void {
  const lower = (field: string, limit: number) => {
    if (!(limit > 0)) return;
    const own = host[field];
    if (typeof own !== "number" || own <= 0 || own > limit) host[field] = limit;
  };
  lower("Memory", pod.memory);
  if (pod.memory > 0 && typeof host.MemorySwap === "number" && host.MemorySwap > 0 && host.MemorySwap < (host.Memory as number)) delete host.MemorySwap;
  if (!(typeof host.CpuQuota === "number" && host.CpuQuota > 0)) lower("NanoCpus", pod.nanoCpus);
  lower("PidsLimit", pod.pidsLimit);
}

/**
 * With a pod memory limit, members the user gave no oom_score_adj are the
 * kernel's first choice when the pod runs out of memory: the member that
 * grew is killed and the pod ends with its exit code, instead of the
 * controller dying and leaving its members unsupervised.
 */
export const MEMBER_OOM_SCORE_ADJ = 1000;

export function preferMembersOnOom(host: Record<string, unknown>, controller: Pick<ContainerInfo, "limits">): void {
  if ((controller.limits?.memory ?? 0) > 0 && host.OomScoreAdj === undefined) host.OomScoreAdj = MEMBER_OOM_SCORE_ADJ;
}
