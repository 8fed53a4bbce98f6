import { statSync } from "node:fs";
import { join } from "node:path";

/** The names `docker compose` looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"] as const;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The Compose file of `dir` and its override, as `docker compose` finds them
 * when no file is named: the first of COMPOSE_FILE_NAMES, then
 * `compose.override.yaml|yml` (or `docker-compose.override.*` for a
 * docker-compose.* file) merged after it. Empty when there is none.
 */
export function findComposeFiles(dir: string): string[] {
  const main = COMPOSE_FILE_NAMES.map((name) => join(dir, name)).find(isFile);
  if (!main) return [];
  const prefix = main.endsWith(join(dir, "compose.yaml")) || main.endsWith(join(dir, "compose.yml")) ? "compose" : "docker-compose";
  const override = [`${prefix}.override.yaml`, `${prefix}.override.yml`].map((name) => join(dir, name)).find(isFile);
  return override ? [main, override] : [main];
}
