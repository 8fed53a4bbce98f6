/**
 * The multi-node lab (scripts/lab) seen from a test: node N's engine, its faults, and
 * stacks deployed through the manager pl1 with podlike itself. Without a lab the suites are
 * skipped with a reason; with PODLIKE_CLUSTER=required (npm run test:cluster) they fail.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DOCKER, testName } from "../support/engine.js";
import { CONTROLLER_IMAGE } from "../controller/e2e-support.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const NODES = [1, 2, 3] as const;
export const MANAGER = 1;
export const socket = (node: number): string => `unix:///run/pl${node}/docker.sock`;
export const nodeIp = (node: number): string => `10.207.0.${10 + node}`;
export const hostname = (node: number): string => `pl${node}`;
export { CONTROLLER_IMAGE, testName };

export function labUnavailableReason(): string | undefined {
  const ready = dockerOn(MANAGER, ["node", "ls", "--format", "{{.Hostname}} {{.Status}}"], { allowFail: true });
  const up = NODES.every((n) => ready.includes(`${hostname(n)} Ready`));
  return up ? undefined : "the multi-node lab is not up: run npm run test:cluster (or scripts/lab/up.sh as root)";
}

export function clusterOptions(): { skip?: string } {
  const reason = labUnavailableReason();
  if (!reason) return {};
  if (process.env.PODLIKE_CLUSTER === "required") throw new Error(`PODLIKE_CLUSTER=required but ${reason}`);
  return { skip: reason };
}

/** The docker CLI against node N; trimmed stdout. */
export function dockerOn(node: number, args: string[], options: { allowFail?: boolean; timeout?: number } = {}): string {
  try {
    return execFileSync(DOCKER, ["-H", socket(node), ...args], { encoding: "utf8", timeout: options.timeout ?? 60_000, stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch (error) {
    if (options.allowFail) return "";
    const e = error as { stderr?: string; message: string };
    throw new Error(`docker -H ${socket(node)} ${args.join(" ")} failed: ${e.stderr || e.message}`);
  }
}

export type Fault = "start" | "stop" | "kill" | "poweroff" | "cut" | "heal";
export function fault(node: number, verb: Fault): void {
  execFileSync("bash", [join(ROOT, "scripts/lab/node.sh"), String(node), verb], { stdio: ["ignore", "ignore", "pipe"], timeout: 120_000 });
}

/** Whether node N's engine answers. */
export function engineUp(node: number): boolean {
  return dockerOn(node, ["version", "--format", "{{.Server.Version}}"], { allowFail: true, timeout: 5000 }) !== "";
}

/** Puts every node back: engine running, cable plugged in. */
export function restoreNodes(): void {
  for (const n of NODES) {
    fault(n, "heal");
    if (!engineUp(n)) fault(n, "start");
  }
}

export interface LabContainer {
  node: number;
  name: string;
  state: string;
  status: string;
}

/** Every container of the stack on node N (controllers, components, sandboxes: all are named after the stack's services). */
export function stackContainers(node: number, stack: string): LabContainer[] {
  const out = dockerOn(node, ["ps", "-a", "--filter", `name=${stack}_`, "--format", "{{.Names}}\t{{.State}}\t{{.Status}}"], { allowFail: true, timeout: 15_000 });
  return out
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [name, state, status] = line.split("\t");
      return { node, name: name!, state: state!, status: status! };
    })
    .filter((c) => c.name.startsWith(`${stack}_`));
}

export function allStackContainers(stack: string, nodes: readonly number[] = NODES): LabContainer[] {
  return nodes.filter(engineUp).flatMap((n) => stackContainers(n, stack));
}

export const isController = (c: LabContainer): boolean => !c.name.includes(".podlike");
export const isComponent = (c: LabContainer): boolean => /\.podlike\.[^.]+$/.test(c.name);

/** Runs the podlike CLI against the manager. */
export function podlike(args: string[], options: { allowFail?: boolean } = {}): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, "bin/podlike"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, DOCKER_HOST: socket(MANAGER), NO_COLOR: "1" },
    timeout: 300_000,
  });
  if (result.status !== 0 && !options.allowFail) throw new Error(`podlike ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Converts the Compose text and deploys it as `stack` on the lab; returns the stack file's folder. */
export function deployCompose(stack: string, compose: string): string {
  const dir = mkdtempSync(join(tmpdir(), "podliketest-cluster-"));
  writeFileSync(join(dir, "compose.yml"), compose);
  podlike(["convert", join(dir, "compose.yml"), "--controller-image", CONTROLLER_IMAGE, "-o", join(dir, "stack.yml")]);
  podlike(["deploy", "-c", join(dir, "stack.yml"), stack]);
  return dir;
}

/** Removes the stack (if any) and waits until no node holds anything of it. */
export async function removeStack(stack: string, dir?: string): Promise<void> {
  restoreNodes();
  podlike(["rm", stack], { allowFail: true });
  await waitFor(`nothing of ${stack} left`, () => allStackContainers(stack).length === 0, 90_000).catch(() => undefined);
  for (const n of NODES) {
    const left = stackContainers(n, stack).map((c) => c.name);
    if (left.length) dockerOn(n, ["rm", "-f", ...left], { allowFail: true });
    dockerOn(n, ["network", "rm", `${stack}_default`], { allowFail: true });
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A pod's Compose text: two busybox components, an HTTP server on 3000 and an idle one. */
export function podCompose(options: { replicas?: number; constraint?: string; port?: number; extraDeploy?: string[] } = {}): string {
  return [
    "services:",
    "  server:",
    "    image: podlike-test/busybox:latest",
    `    command: ["sh", "-c", "echo pod > /tmp/index.html; exec httpd -f -p 3000 -h /tmp"]`,
    "    init: true",
    "    stop_grace_period: 2s",
    ...(options.port ? ["    ports:", `      - {target: 3000, published: ${options.port}, mode: host}`] : []),
    "  idle:",
    "    image: podlike-test/busybox:latest",
    "    command: sleep 86400",
    "    init: true",
    "    stop_grace_period: 2s",
    "x-pods:",
    "  web:",
    "    components: [server, idle]",
    "    deploy:",
    `      replicas: ${options.replicas ?? 1}`,
    "      restart_policy: {delay: 0s}",
    ...(options.constraint ? ["      placement:", `        constraints: [${options.constraint}]`] : []),
    ...(options.extraDeploy ?? []).map((l) => `      ${l}`),
    "",
  ].join("\n");
}

/** Pod components running per node: node → count. */
export function runningComponents(stack: string, nodes: readonly number[] = NODES): Map<number, number> {
  const counts = new Map<number, number>();
  for (const c of allStackContainers(stack, nodes)) if (isComponent(c) && c.state === "running") counts.set(c.node, (counts.get(c.node) ?? 0) + 1);
  return counts;
}

/** Which node runs the stack's (single) controller. */
export function controllerNode(stack: string): number | undefined {
  return allStackContainers(stack).find((c) => isController(c) && c.state === "running")?.node;
}

/** Asks node N's switch-side neighbour for the pod's page on a host-mode port. */
export function httpAnswers(node: number, port: number): boolean {
  const r = spawnSync("ip", ["netns", "exec", "plsw", "/bin/busybox", "sh", "-c", `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | /bin/busybox nc -w 1 ${nodeIp(node)} ${port}`], { encoding: "utf8", timeout: 5000 });
  return r.stdout.includes("pod");
}

/** Prints a figure for the report in the test output. */
export function figure(name: string, value: string): void {
  process.stdout.write(`# figure: ${name}: ${value}\n`);
}
