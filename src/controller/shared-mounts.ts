/**
 * --volumes: the controller's volumes and binds, shared into every component,
 * except what would hand a component the node: the engine's socket. The
 * socket is recognised by where it comes from on the host, never by where the
 * controller mounts it: a bind of the socket itself, or of any folder holding
 * it (/var/run, /run, /), stays with the controller under whatever name.
 * Also kept back: the configs and secrets the controller holds only to copy
 * them, and a mount that holds the socket's mount point, where the engine
 * left an empty placeholder "docker.sock" a component would see.
 */
import { posix } from "node:path";
import { DOCKER_SOCKET, INTERNAL_ROOT, volumeOfInternalPath } from "../labels/protocol.js";
import type { ContainerInfo, ContainerMount } from "../engine/container-engine.js";

/** Where an engine socket usually is on a node; /var/run is a link to /run on current distributions. */
const WELL_KNOWN_SOCKETS = [DOCKER_SOCKET, "/run/docker.sock"];

const sameFolderTree = (path: string): string[] => {
  const p = posix.normalize(path);
  if (p.startsWith("/var/run/")) return [p, p.slice("/var".length)];
  if (p.startsWith("/run/")) return [p, "/var" + p];
  return [p];
};

/** Does the host path `source` hold (or is it) one of `sockets`? */
const holdsSocket = (source: string, sockets: string[]): boolean =>
  sameFolderTree(source).some((s) => sockets.some((socket) => socket === s || s === "/" || socket.startsWith(s.endsWith("/") ? s : s + "/")));

/** Host paths of the engine sockets the controller was given: the well-known ones and the source of any bind mounted where a client looks for one. */
export function engineSocketSources(mounts: readonly ContainerMount[]): string[] {
  const sources = new Set<string>(WELL_KNOWN_SOCKETS);
  for (const m of mounts) {
    if (m.type === "bind" && WELL_KNOWN_SOCKETS.includes(posix.normalize(m.destination))) for (const s of sameFolderTree(m.source)) sources.add(s);
  }
  return [...sources];
}

export interface SharedMounts {
  /** HostConfig.Mounts entries for every component. */
  mounts: Record<string, unknown>[];
  /** One line per mount kept back, saying why. */
  warnings: string[];
}

export function sharedMounts(controller: Pick<ContainerInfo, "mounts">): SharedMounts {
  const sockets = engineSocketSources(controller.mounts);
  const socketMountPoints = controller.mounts.filter((m) => m.type === "bind" && holdsSocket(m.source, sockets)).map((m) => posix.normalize(m.destination));
  const heldForCopy = (target: string) => target.startsWith(INTERNAL_ROOT + "/") && !volumeOfInternalPath(target);
  const result: SharedMounts = { mounts: [], warnings: [] };
  for (const m of controller.mounts) {
    if (m.type !== "volume" && m.type !== "bind") continue;
    if (heldForCopy(m.destination)) continue;
    if (m.type === "bind" && holdsSocket(m.source, sockets)) {
      result.warnings.push(`--volumes: ${m.source} (at ${m.destination}) is not shared with the components: it holds the Docker engine's socket`);
      continue;
    }
    const destination = posix.normalize(m.destination);
    if (socketMountPoints.some((point) => point !== destination && point.startsWith(destination === "/" ? "/" : destination + "/"))) {
      result.warnings.push(`--volumes: ${m.type === "volume" ? m.name : m.source} (at ${m.destination}) is not shared with the components: the engine socket is mounted inside it; mount it elsewhere on the controller to share it`);
      continue;
    }
    result.mounts.push({ Type: m.type, Source: m.type === "volume" ? m.name : m.source, Target: m.destination, ReadOnly: m.readOnly });
  }
  return result;
}
