/**
 * Images a pod needs: pulled when missing (always, with --pull), with
 * credentials from a mounted Docker config.json when it has some for the
 * image's registry. One pull per image, however many components use it.
 */
import { readFileSync } from "node:fs";
import type { Engine, RegistryAuth } from "../engine/container-engine.js";

const DOCKER_HUB = "docker.io";
const DOCKER_HUB_KEYS = ["https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io"];

/** The registry host of an image reference ("docker.io" when it names none). */
export function registryOf(ref: string): string {
  const slash = ref.indexOf("/");
  if (slash < 0) return DOCKER_HUB;
  const first = ref.slice(0, slash);
  return first.includes(".") || first.includes(":") || first === "localhost" ? first : DOCKER_HUB;
}

export function dockerConfigPaths(env: Record<string, string | undefined>): string[] {
  const paths: string[] = [];
  if (env.DOCKER_CONFIG) paths.push(`${env.DOCKER_CONFIG}/config.json`);
  if (env.HOME) paths.push(`${env.HOME}/.docker/config.json`);
  paths.push("/root/.docker/config.json");
  return [...new Set(paths)];
}

interface ConfigAuth {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

/** Credentials for `ref` from the first readable config.json, or undefined. */
export function registryAuthFor(ref: string, env: Record<string, string | undefined>, read: (path: string) => string = (p) => readFileSync(p, "utf8")): RegistryAuth | undefined {
  const registry = registryOf(ref);
  for (const path of dockerConfigPaths(env)) {
    let auths: Record<string, ConfigAuth>;
    try {
      auths = (JSON.parse(read(path)) as { auths?: Record<string, ConfigAuth> }).auths ?? {};
    } catch {
      continue;
    }
    const keys = registry === DOCKER_HUB ? DOCKER_HUB_KEYS : [registry, `https://${registry}`, `http://${registry}`];
    const key = Object.keys(auths).find((k) => keys.includes(k) || keys.includes(k.replace(/\/+$/, "")) || k.replace(/^https?:\/\//, "").replace(/\/.*$/, "") === registry);
    if (!key) continue;
    const entry = auths[key]!;
    const auth: RegistryAuth = { serveraddress: registry === DOCKER_HUB ? DOCKER_HUB_KEYS[0] : registry };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      auth.username = decoded.slice(0, colon);
      auth.password = decoded.slice(colon + 1);
    }
    if (entry.username) auth.username = entry.username;
    if (entry.password) auth.password = entry.password;
    if (entry.identitytoken) auth.identitytoken = entry.identitytoken;
    return auth;
  }
  return undefined;
}

/** Makes sure an image is on the node; returns a function to call per image. */
export function createImageEnsurer(engine: Engine, options: { always: boolean; env: Record<string, string | undefined>; log: (message: string) => void }) {
  const pending = new Map<string, Promise<void>>();
  return (ref: string): Promise<void> => {
    let job = pending.get(ref);
    if (!job) {
      job = (async () => {
        if (!options.always && (await engine.imageExists(ref))) return;
        options.log(`pulling ${ref}`);
        await engine.pullImage(ref, registryAuthFor(ref, options.env));
      })();
      pending.set(ref, job);
    }
    return job;
  };
}
