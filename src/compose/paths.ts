import { isAbsolute, resolve } from "node:path";
import { isHostPath } from "./normalize.js";
import { isMapping } from "../yaml/mapping.js";

/**
 * Relative paths made absolute against `dir` before files are merged: the
 * project folder for every -f file (an override's `./conf` means the first
 * file's folder, as in docker compose), the file's own folder for extends
 * and include files. `~` is the HOME of the given environment (kept as written
 * when it has none). Values are
 * replaced in place, so their recorded positions stay.
 */

export function expandPath(path: string, dir: string, home: string | undefined): string {
  if (path === "~" || path.startsWith("~/")) {
    // Without a HOME, ~ stays for docker stack deploy to expand: it is no folder of the project.
    return home === undefined ? path : resolve(home, path.slice(2));
  }
  if (isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) return path;
  return resolve(dir, path);
}

/** A build context that is a remote (git or http) rather than a folder. */
export function isRemoteContext(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@/.test(context) || /^github\.com\//.test(context);
}

function resolveShortVolume(spec: string, dir: string, home: string | undefined): string {
  const colon = /^[A-Za-z]:[\\/]/.test(spec) ? spec.indexOf(":", 2) : spec.indexOf(":");
  if (colon <= 0) return spec;
  const source = spec.slice(0, colon);
  if (!isHostPath(source) || isAbsolute(source)) return spec;
  return expandPath(source, dir, home) + spec.slice(colon);
}

function resolveService(service: Record<string, unknown>, dir: string, home: string | undefined): void {
  const envFile = service.env_file;
  if (typeof envFile === "string") service.env_file = expandPath(envFile, dir, home);
  else if (Array.isArray(envFile)) {
    envFile.forEach((entry, i) => {
      if (typeof entry === "string") envFile[i] = expandPath(entry, dir, home);
      else if (isMapping(entry) && typeof entry.path === "string") entry.path = expandPath(entry.path, dir, home);
    });
  }

  const volumes = service.volumes;
  if (Array.isArray(volumes)) {
    volumes.forEach((entry, i) => {
      if (typeof entry === "string") volumes[i] = resolveShortVolume(entry, dir, home);
      else if (isMapping(entry) && entry.type === "bind" && typeof entry.source === "string" && entry.source !== "") {
        entry.source = expandPath(entry.source, dir, home);
      }
    });
  }

  const build = service.build;
  if (typeof build === "string" && !isRemoteContext(build)) service.build = expandPath(build, dir, home);
  else if (isMapping(build)) {
    const context = typeof build.context === "string" ? build.context : undefined;
    if (context === undefined) build.context = dir;
    else if (!isRemoteContext(context)) build.context = expandPath(context, dir, home);
  }

  const extendsValue = service.extends;
  if (isMapping(extendsValue) && typeof extendsValue.file === "string") extendsValue.file = expandPath(extendsValue.file, dir, home);
}

export function resolveRelativePaths(raw: Record<string, unknown>, dir: string, home: string | undefined): void {
  if (isMapping(raw.services)) for (const service of Object.values(raw.services)) if (isMapping(service)) resolveService(service, dir, home);
  for (const section of ["configs", "secrets"]) {
    const entries = raw[section];
    if (!isMapping(entries)) continue;
    for (const entry of Object.values(entries)) {
      if (isMapping(entry) && typeof entry.file === "string") entry.file = expandPath(entry.file, dir, home);
    }
  }
}
