/**
 * `podlike controller cgroup-setup <controller-id> [<cgroup-parent>]`: the
 * command of the short-lived setup container on cgroup v2
 * (controller/cgroup2-envelope.ts starts it; not meant to be run by hand).
 * Prints {"cgroup", "controllers"} as one JSON line; exit 1 with the reason
 * on stderr when the envelope cannot be sealed.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { CliIO } from "../io.js";
import { CgroupSetupError, controllerCgroupPath, HOST_CGROUP, sealEnvelope, type CgroupFs } from "../../controller/cgroup2-setup.js";

const hostCgroupFs: CgroupFs = {
  read: (path) => {
    try {
      return readFileSync(HOST_CGROUP + path, "utf8");
    } catch {
      return undefined;
    }
  },
  write: (path, text) => writeFileSync(HOST_CGROUP + path, text),
  mkdir: (path) => mkdirSync(HOST_CGROUP + path),
};

export function runCgroupSetup(args: string[], io: CliIO): number {
  const [controllerId, cgroupParent = ""] = args;
  if (!controllerId || !/^[0-9a-f]{64}$/.test(controllerId)) {
    io.stderr.write("usage: podlike controller cgroup-setup <controller container id> [<cgroup parent>]\n");
    return 2;
  }
  try {
    const cgroup = controllerCgroupPath(controllerId, cgroupParent, readFileSync("/proc/self/cgroup", "utf8"));
    const controllers = sealEnvelope(hostCgroupFs, cgroup);
    io.stdout.write(JSON.stringify({ cgroup, controllers }) + "\n");
    return 0;
  } catch (error) {
    const known = error instanceof CgroupSetupError || (error as NodeJS.ErrnoException).code !== undefined;
    io.stderr.write(`podlike: cgroup-setup: ${known ? (error as Error).message : String(error)}\n`);
    return 1;
  }
}
