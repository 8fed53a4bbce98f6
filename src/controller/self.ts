/**
 * Which container is this process in? In order: PODLIKE_CONTAINER_ID, the
 * container's own files in /proc/self/mountinfo (/etc/hostname is bind-mounted
 * from <data-root>/containers/<id>/, on cgroup v1 and v2 alike), the cgroup
 * paths in mountinfo and /proc/self/cgroup (cgroup v1, or v2 without a cgroup
 * namespace), then HOSTNAME (Docker's default hostname is the short id).
 */
import { readFileSync } from "node:fs";

export interface SelfSources {
  env: Record<string, string | undefined>;
  readFile?: (path: string) => string | undefined;
}

export interface FoundSelf {
  id: string;
  /** Where the id came from, for the start-up message. */
  from: "PODLIKE_CONTAINER_ID" | "mountinfo" | "cgroup" | "HOSTNAME";
}

const readOrUndefined = (path: string): string | undefined => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
};

const CONTAINER_FILE = /\/containers\/([0-9a-f]{64})\/(?:hostname|hosts|resolv\.conf)$/;
const CGROUP_PATH = /(?:\/docker[/-]|\/libpod-|\/cri-containerd-)([0-9a-f]{64})(?:\.scope)?(?:\/|$)/;

export function findOwnContainerId(sources: SelfSources): FoundSelf | undefined {
  const read = sources.readFile ?? readOrUndefined;
  const override = sources.env.PODLIKE_CONTAINER_ID?.trim();
  if (override) return { id: override, from: "PODLIKE_CONTAINER_ID" };

  const mountinfo = read("/proc/self/mountinfo");
  if (mountinfo) {
    const id = idFromMountinfo(mountinfo);
    if (id) return { id, from: "mountinfo" };
  }
  const cgroup = read("/proc/self/cgroup");
  if (cgroup) {
    for (const line of cgroup.split("\n")) {
      const m = CGROUP_PATH.exec(line.slice(line.indexOf(":", line.indexOf(":") + 1) + 1));
      if (m) return { id: m[1]!, from: "cgroup" };
    }
  }
  const hostname = sources.env.HOSTNAME?.trim();
  if (hostname) return { id: hostname, from: "HOSTNAME" };
  return undefined;
}

/** The id of the container whose /etc/hostname (or hosts, resolv.conf) is mounted here; else a cgroup mount's id. */
export function idFromMountinfo(text: string): string | undefined {
  let fromCgroup: string | undefined;
  for (const line of text.split("\n")) {
    const fields = line.split(" ");
    const root = unescapeMountPath(fields[3] ?? "");
    const mountPoint = unescapeMountPath(fields[4] ?? "");
    if (/^\/etc\/(hostname|hosts|resolv\.conf)$/.test(mountPoint)) {
      const m = CONTAINER_FILE.exec(root);
      if (m) return m[1];
    }
    if (!fromCgroup && mountPoint.startsWith("/sys/fs/cgroup")) {
      const m = CGROUP_PATH.exec(root);
      if (m) fromCgroup = m[1];
    }
  }
  return fromCgroup;
}

/** mountinfo escapes space, tab, newline and backslash as octal (\040). */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** /proc/self/cgroup: where the controller's cgroup is (envelope.ts). */
export function readOwnCgroup(read: (path: string) => string | undefined = readOrUndefined): string | undefined {
  return read("/proc/self/cgroup");
}
