/**
 * Helpers for the controller's end-to-end tests: run a controller container
 * from podlike/controller:local with pod labels, look at its components, and
 * remove exactly what a test created (the controller by name, its components
 * by their podlike.controller label).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { docker, DOCKER } from "../support/engine.js";

/** PODLIKE_LOCAL_IMAGE lets several checkouts on one engine build and test their own image. */
export const CONTROLLER_IMAGE = process.env.PODLIKE_LOCAL_IMAGE || "podlike/controller:local";
const root = fileURLToPath(new URL("../..", import.meta.url));

let imageReady = false;
/** Builds podlike/controller:local (fast when nothing changed). */
export function ensureControllerImage(): void {
  if (imageReady) return;
  execFileSync("bash", ["scripts/build-local-image.sh"], { cwd: root, stdio: ["ignore", "ignore", "inherit"], timeout: 300_000 });
  imageReady = true;
}

export interface RunOptions {
  labels: Record<string, string>;
  flags?: string[];
  /** Extra `docker run` arguments (volumes, --health-interval, ...). */
  dockerArgs?: string[];
  /** Default true. */
  detach?: boolean;
}

/** `docker run` of a controller; returns the controller's container id. */
export function runController(name: string, options: RunOptions): string {
  const args = ["run", "-d", "--name", name, "-v", "/var/run/docker.sock:/var/run/docker.sock"];
  for (const [key, value] of Object.entries(options.labels)) args.push("--label", `${key}=${value}`);
  args.push(...(options.dockerArgs ?? []), CONTROLLER_IMAGE, ...(options.flags ?? []));
  return docker(args);
}

/** Containers this controller made, "name state" sorted. */
export function podContainers(controllerId: string): { name: string; state: string; id: string }[] {
  const out = docker(["ps", "-a", "--filter", `label=podlike.controller=${controllerId}`, "--format", "{{.Names}} {{.State}} {{.ID}}"]);
  return out
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [name, state, id] = line.split(" ");
      return { name: name!, state: state!, id: id! };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Removes the controller and everything labelled as its. */
export function removePod(name: string, id?: string): void {
  const controllerId = id ?? docker(["inspect", "--format", "{{.Id}}", name], { allowFail: true });
  docker(["rm", "-f", name], { allowFail: true });
  if (controllerId) {
    const ids = podContainers(controllerId).map((c) => c.id);
    if (ids.length) docker(["rm", "-f", "-v", ...ids], { allowFail: true });
  }
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export function inspect(name: string, format: string): string {
  return docker(["inspect", "--format", format, name], { allowFail: true });
}

/** Waits until the container has exited; returns its exit code. */
export async function exitCodeOf(name: string, timeoutMs = 30_000): Promise<number> {
  const state = await waitFor(`${name} to exit`, () => (inspect(name, "{{.State.Status}}") === "exited" ? "exited" : undefined), timeoutMs);
  void state;
  return Number(inspect(name, "{{.State.ExitCode}}"));
}

/** Both streams of `docker logs`, apart. */
export function controllerLogs(name: string): { stdout: string; stderr: string } {
  const r = spawnSync(DOCKER, ["logs", name], { encoding: "utf8" });
  return { stdout: r.stdout, stderr: r.stderr };
}

/** `docker exec` in a container, stdout trimmed. */
export function exec(name: string, script: string): string {
  return docker(["exec", name, "sh", "-c", script]);
}

/** YAML of a component definition, for pod.component.<name> labels. */
export function component(lines: string[]): string {
  return lines.join("\n") + "\n";
}
