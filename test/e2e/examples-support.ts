/**
 * Helpers for the examples' end-to-end tests: deploy a stack on the
 * single-node Swarm, find a pod's controller and components, read service
 * logs, and remove everything the stack made (services, the components their
 * controllers left, configs, secrets, networks and volumes).
 */
import { spawnSync } from "node:child_process";
import { get } from "node:http";
import { DOCKER, docker } from "../support/engine.js";
import { podContainers, waitFor } from "../controller/e2e-support.js";
import { runPodlike } from "../support/run-podlike.js";

const NS = "com.docker.stack.namespace";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `docker stack deploy` of a stack file (no registry: images resolve locally). */
export function stackDeploy(stack: string, file: string, env: Record<string, string> = {}): void {
  const r = spawnSync(DOCKER, ["stack", "deploy", "--resolve-image", "never", "-c", file, stack], { encoding: "utf8", env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`docker stack deploy ${stack} failed: ${r.stderr}`);
}

/** Running task containers of a stack's service, newest first. */
export function taskContainers(service: string): string[] {
  return docker(["ps", "-q", "--no-trunc", "--filter", `label=com.docker.swarm.service.name=${service}`]).split("\n").filter(Boolean);
}

/** The running controller of a pod service and its running components by name, once `names` all run. */
export async function runningPod(service: string, names: string[], timeoutMs = 90_000): Promise<{ controller: string; components: Record<string, string> }> {
  return waitFor(`${service} running ${names.join(", ")}`, () => {
    for (const controller of taskContainers(service)) {
      const components: Record<string, string> = {};
      for (const c of podContainers(controller)) if (c.state === "running") components[c.name.slice(c.name.lastIndexOf(".podlike.") + 9)] = c.name;
      if (names.every((n) => n in components)) return { controller, components };
    }
    return undefined;
  }, timeoutMs, 500);
}

/** Both streams of `docker service logs` (the controllers' output), with extra arguments. */
export function serviceLogs(service: string, args: string[] = []): string {
  const r = spawnSync(DOCKER, ["service", "logs", "--raw", ...args, service], { encoding: "utf8", timeout: 30_000 });
  return (r.stdout ?? "") + (r.stderr ?? "");
}

/** Removes a stack and everything it made; safe to call when parts never existed. */
export async function removeStack(stack: string): Promise<void> {
  const filter = ["--filter", `label=${NS}=${stack}`];
  const controllers = docker(["ps", "-aq", "--no-trunc", ...filter], { allowFail: true }).split("\n").filter(Boolean);
  const services = docker(["service", "ls", "-q", ...filter], { allowFail: true }).split("\n").filter(Boolean);
  if (services.length) docker(["service", "rm", ...services], { allowFail: true });
  for (let i = 0; i < 120 && docker(["ps", "-aq", ...filter], { allowFail: true }); i++) await sleep(500);
  for (const id of controllers) {
    const left = podContainers(id).map((c) => c.id);
    if (left.length) docker(["rm", "-f", "-v", ...left], { allowFail: true });
  }
  for (const kind of ["config", "secret", "network"]) {
    const ids = docker([kind, "ls", "-q", ...filter], { allowFail: true }).split("\n").filter(Boolean);
    if (ids.length) docker([kind, "rm", ...ids], { allowFail: true });
  }
  for (let i = 0; i < 20; i++) {
    const volumes = docker(["volume", "ls", "-q", ...filter], { allowFail: true }).split("\n").filter(Boolean);
    if (!volumes.length) break;
    docker(["volume", "rm", ...volumes], { allowFail: true });
    await sleep(500);
  }
}

/** `podlike ...args` in this process, both streams captured. */
export const podlike = (args: string[]) => runPodlike(args);

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One GET to 127.0.0.1:port; rejects when nothing answers. */
export function httpGet(port: number, path = "/"): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = get({ host: "127.0.0.1", port, path, timeout: 5000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("timeout")));
  });
}

/** Retries an async probe until it returns something (not undefined/false) or the time is up. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await sleep(everyMs);
  }
}
