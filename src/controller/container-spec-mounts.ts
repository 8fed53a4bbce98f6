/**
 * A component's filesystem: volumes (short and long syntax), tmpfs,
 * volumes_from, and the controller mounts shared into every component.
 */
import { normalizeVolumes, type VolumeMount } from "../compose/normalize.js";
import { getOwn } from "../compose/own-keys.js";
import { posix } from "node:path";
import { PROJECT_MOUNT, componentContainerName } from "../labels/protocol.js";
import { ComponentSpecError, readStringList, type ValueSite } from "./container-spec-values.js";

export interface MountsInput {
  component: string;
  controllerName: string;
  volumeNames: Record<string, string>;
  sharedMounts?: Array<Record<string, unknown>>;
  /** host folder relative bind sources start at (see PROJECT_MOUNT) */
  projectDir?: string;
}

export interface MountsResult {
  /** HostConfig.Binds: host paths the engine creates when missing (short syntax, create_host_path, SELinux labels). */
  binds: string[];
  /** HostConfig.Mounts */
  mounts: Array<Record<string, unknown>>;
  warnings: string[];
}

/**
 * A bind goes through HostConfig.Binds when the host path may have to be
 * created (the Mounts API refuses a missing source, see moby/moby#43483) or
 * carries an SELinux label (Mounts cannot relabel); otherwise through Mounts.
 */
function bindEntry(mount: VolumeMount): string | Record<string, unknown> {
  const source = mount.source!;
  if (mount.bind?.create_host_path || mount.bind?.selinux) {
    const options = [mount.read_only ? "ro" : "rw", mount.bind.selinux, mount.bind.propagation].filter(Boolean);
    return `${source}:${mount.target}:${options.join(",")}`;
  }
  const out: Record<string, unknown> = { Type: "bind", Source: source, Target: mount.target, ReadOnly: mount.read_only };
  if (mount.bind?.propagation) out.BindOptions = { Propagation: mount.bind.propagation };
  return out;
}

function volumeEntry(mount: VolumeMount, input: MountsInput, warnings: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { Type: "volume", Target: mount.target, ReadOnly: mount.read_only };
  if (mount.source) out.Source = getOwn(input.volumeNames, mount.source) ?? mount.source;
  const options: Record<string, unknown> = {};
  if (mount.volume?.nocopy) options.NoCopy = true;
  if (mount.volume?.subpath) {
    options.Subpath = mount.volume.subpath;
    warnings.push(`component "${input.component}": volume.subpath of ${mount.target} needs Docker 26 (Engine API 1.45); older engines mount the whole volume`);
  }
  if (Object.keys(options).length) out.VolumeOptions = options;
  return out;
}

function tmpfsEntry(mount: VolumeMount): Record<string, unknown> {
  const out: Record<string, unknown> = { Type: "tmpfs", Target: mount.target, ReadOnly: mount.read_only };
  const options: Record<string, unknown> = {};
  if (mount.tmpfs?.size !== undefined) options.SizeBytes = mount.tmpfs.size;
  if (mount.tmpfs?.mode !== undefined) options.Mode = mount.tmpfs.mode;
  if (Object.keys(options).length) out.TmpfsOptions = options;
  return out;
}

export function componentMounts(volumes: unknown, input: MountsInput): MountsResult {
  const result: MountsResult = { binds: [], mounts: [], warnings: [] };
  const site: ValueSite = { component: input.component, key: "volumes" };
  const targets = new Set<string>();
  if (volumes !== undefined && volumes !== null) {
    if (!Array.isArray(volumes)) throw new ComponentSpecError(site.component, site.key, "must be a list");
    volumes.forEach((entry, index) => {
      const [mount] = normalizeVolumes([entry]);
      if (!mount) {
        throw new ComponentSpecError(input.component, `volumes[${index}]`, `cannot be read: ${JSON.stringify(entry)}`, "write SOURCE:TARGET[:ro] or a mapping with type, source and target");
      }
      targets.add(mount.target);
      switch (mount.type) {
        case "bind": {
          if (mount.source !== undefined && !mount.source.startsWith("/") && input.projectDir !== undefined) {
            mount.source = posix.resolve(input.projectDir, mount.source);
          }
          if (!mount.source?.startsWith("/")) {
            const problem = mount.source === undefined ? "is a bind mount without a source" : `bind source ${JSON.stringify(mount.source)} is not an absolute path`;
            throw new ComponentSpecError(
              input.component,
              `volumes[${index}]`,
              problem,
              `podlike convert mounts the stack file's folder at ${PROJECT_MOUNT} for relative sources; in a hand-written label use an absolute path of the node, or add that mount`,
            );
          }
          const bind = bindEntry(mount);
          if (typeof bind === "string") result.binds.push(bind);
          else result.mounts.push(bind);
          break;
        }
        case "volume":
          result.mounts.push(volumeEntry(mount, input, result.warnings));
          break;
        case "tmpfs":
          result.mounts.push(tmpfsEntry(mount));
          break;
        default:
          targets.delete(mount.target);
          result.warnings.push(`component "${input.component}": volumes[${index}] of type ${mount.type} is ignored: the controller mounts bind, volume and tmpfs only`);
      }
    });
  }
  for (const shared of input.sharedMounts ?? []) {
    // the component's own mount of a path wins over the pod-wide share
    if (typeof shared.Target === "string" && targets.has(shared.Target)) continue;
    result.mounts.push({ ...shared });
  }
  return result;
}

/** tmpfs: "/run" or "/run:size=64m,mode=1777" (a string or a list) → HostConfig.Tmpfs. */
export function componentTmpfs(value: unknown, component: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readStringList({ component, key: "tmpfs" }, value, true)) {
    const colon = entry.indexOf(":");
    if (colon < 0) out[entry] = "";
    else out[entry.slice(0, colon)] = entry.slice(colon + 1);
  }
  return out;
}

/** volumes_from: service:<name> or a bare name is another component of the pod; container:<name> is any container. */
export function componentVolumesFrom(value: unknown, component: string, controllerName: string): string[] {
  return readStringList({ component, key: "volumes_from" }, value).map((entry) => {
    const match = /^(?:(service|container):)?([^:]+)(:r[ow])?$/.exec(entry);
    if (!match) throw new ComponentSpecError(component, "volumes_from", `entry ${JSON.stringify(entry)} cannot be read`, "write service:<component>[:ro] or container:<name>[:ro]");
    const [, kind, name, mode = ""] = match;
    return (kind === "container" ? name! : componentContainerName(controllerName, name!)) + mode;
  });
}
