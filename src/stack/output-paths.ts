/**
 * How convert writes host paths (bind sources, configs' and secrets' file)
 * so that a committed stack file travels with its project: a path inside the
 * project folder is written relative to the folder of the output file (the
 * project folder on standard output), in the form `docker stack deploy`
 * resolves against the stack file's folder (`./x`, `../x`). Paths outside the
 * project folder (`/var/run/docker.sock`, `/etc/ssl`) stay absolute: they
 * name the same place on every machine.
 */
import { isAbsolute, relative, sep } from "node:path";
import { isHostPath } from "../compose/normalize.js";

export type PathWriter = (path: string) => string;

/** Paths as the loader made them (absolute): what deploy uses in memory. */
export const absolutePaths: PathWriter = (path) => path;

export function relativePaths(projectDir: string, outputDir: string): PathWriter {
  const root = projectDir.replace(/[\\/]+$/, "");
  return (path) => {
    if (!isAbsolute(path) || (path !== root && !path.startsWith(root + sep))) return path;
    const rel = relative(outputDir, path).split(sep).join("/");
    if (rel === "") return ".";
    return rel === ".." || rel.startsWith("../") ? rel : `./${rel}`;
  };
}

/** A short-syntax volume "SOURCE:TARGET[:OPTIONS]" with its host-path source rewritten. */
function shortVolume(spec: string, write: PathWriter): string {
  const colon = spec.indexOf(":");
  if (colon <= 0) return spec;
  const source = spec.slice(0, colon);
  return isHostPath(source) ? write(source) + spec.slice(colon) : spec;
}

/** A service's `volumes` with bind sources written by `write` (a copy; other entries untouched). */
export function writeVolumePaths(volumes: unknown, write: PathWriter): unknown {
  if (!Array.isArray(volumes)) return volumes;
  return volumes.map((entry) => {
    if (typeof entry === "string") return shortVolume(entry, write);
    if (typeof entry === "object" && entry !== null && !Array.isArray(entry)) {
      const mount = entry as Record<string, unknown>;
      if (mount.type === "bind" && typeof mount.source === "string") return { ...mount, source: write(mount.source) };
    }
    return entry;
  });
}

/** True when some bind source of `volumes` is relative (the controller resolves it against the project mount). */
export function hasRelativeBind(volumes: unknown): boolean {
  if (!Array.isArray(volumes)) return false;
  return volumes.some((entry) => {
    const source =
      typeof entry === "string"
        ? entry.slice(0, Math.max(0, entry.indexOf(":")))
        : typeof entry === "object" && entry !== null && (entry as Record<string, unknown>).type === "bind"
          ? (entry as Record<string, unknown>).source
          : undefined;
    return typeof source === "string" && source.startsWith(".");
  });
}
