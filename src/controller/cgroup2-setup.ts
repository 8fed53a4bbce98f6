/**
 * The inside of the pod's envelope setup on cgroup v2 (the outside is
 * cgroup2-envelope.ts). It runs in a short-lived container of the
 * controller's image that sees the node's cgroup hierarchy at HOST_CGROUP and
 * is in the node's cgroup and PID namespaces. cgroup v2 lets a cgroup give memory, CPU
 * or PID limits to children only while it holds no process itself, so it
 * moves the controller's processes into a leaf of the controller's cgroup and
 * enables those controllers for its children. The engine then creates the
 * components inside the controller's cgroup, under the pod's limits.
 */

/** Where the setup container sees the node's /sys/fs/cgroup. */
export const HOST_CGROUP = "/podlike/host-cgroup";

/** The leaf of the controller's cgroup its own processes move to (not a container id: those are 64 hex digits). */
export const CONTROLLER_LEAF = "podlike-controller";

/** The cgroup controllers the pod's limits use, enabled for the members where the node has them. */
export const ENVELOPE_CONTROLLERS = ["cpu", "memory", "pids", "io"];

/** The file operations the setup needs; the real ones are node:fs on HOST_CGROUP. */
export interface CgroupFs {
  read(path: string): string | undefined;
  write(path: string, text: string): void;
  mkdir(path: string): void;
}

export class CgroupSetupError extends Error {}

/**
 * The controller's cgroup, relative to the hierarchy's root: the cgroupfs
 * driver puts a container at <parent>/<id>, the parent being the container's
 * CgroupParent or else the engine's default, which is where this setup
 * container itself is (`ownCgroup`: its /proc/self/cgroup).
 */
export function controllerCgroupPath(controllerId: string, cgroupParent: string, ownCgroup: string): string {
  let parent = cgroupParent;
  if (!parent) {
    const line = ownCgroup.split("\n").find((l) => l.startsWith("0::"));
    if (!line) throw new CgroupSetupError("this is not a cgroup v2 node (/proc/self/cgroup has no 0:: line)");
    const own = line.slice(3);
    parent = own.slice(0, own.lastIndexOf("/"));
  }
  if (parent.endsWith(".slice")) throw new CgroupSetupError(`the cgroup parent ${parent} is a systemd slice: the engine uses the systemd cgroup driver`);
  return `/${parent}/${controllerId}`.replace(/\/+/g, "/");
}

const pidsIn = (fs: CgroupFs, dir: string): string[] => (fs.read(`${dir}/cgroup.procs`) ?? "").split("\n").filter(Boolean);

/**
 * Moves every process of `dir` into its leaf and enables the envelope's
 * controllers for its children. Idempotent: a controller restarted in place
 * finds the leaf already there. Returns the controllers enabled.
 */
export function sealEnvelope(fs: CgroupFs, dir: string): string[] {
  const available = fs.read(`${dir}/cgroup.controllers`);
  if (available === undefined) throw new CgroupSetupError(`${dir} is not a cgroup of this node`);
  const leaf = `${dir}/${CONTROLLER_LEAF}`;
  if (fs.read(`${leaf}/cgroup.procs`) === undefined) fs.mkdir(leaf);
  // a process the controller forks meanwhile lands in dir too: move until none is left
  for (let round = 0; ; round++) {
    const pids = pidsIn(fs, dir);
    if (!pids.length) break;
    if (pids.includes("0")) throw new CgroupSetupError(`the processes of ${dir} are in another PID namespace: the setup must run in the node's`);
    if (round === 10) throw new CgroupSetupError(`processes keep appearing in ${dir}: ${pids.join(" ")}`);
    for (const pid of pids) {
      try {
        fs.write(`${leaf}/cgroup.procs`, pid);
      } catch (error) {
        // a process that exited meanwhile cannot be moved, and need not be
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
      }
    }
  }
  const wanted = available.split(/\s+/).filter((c) => ENVELOPE_CONTROLLERS.includes(c));
  if (wanted.length) fs.write(`${dir}/cgroup.subtree_control`, wanted.map((c) => `+${c}`).join(" "));
  return wanted;
}
