/**
 * The pod's sandbox, as Kubernetes' pause container: a container that owns
 * the pod's PID and IPC namespaces and holds nothing else. Components join
 * them (and the controller's network namespace, where Swarm attached the
 * task's networks), so from a component no process, file, mount or socket of
 * the controller is visible: not its engine socket, not /run/podlike.
 * Its program is PID 1 of the pod and reaps the pod's orphans. It runs the
 * controller's own image (present on the node by definition, so it works
 * offline): the image's podlike-pause (src/controller/pause/pause.c), or
 * node idling where the image was built without a C compiler.
 *
 * Either program lives only as long as the controller's link to it (see
 * pod-link.ts): when the controller dies, even by SIGKILL, its program exits,
 * and with PID 1 gone the kernel kills every process of the pod.
 */
import { ownershipLabels, sandboxContainerName } from "../labels/protocol.js";
import type { CreateBody } from "../engine/container-engine.js";
import type { ControllerFlags } from "./flags.js";

/** Where the controller images put podlike-pause. */
export const PAUSE_PROGRAM = "/usr/local/bin/podlike-pause";

/** How long the sandbox waits for its controller's link (pause.c's LINK_WAIT_SECONDS). */
export const LINK_WAIT_MS = 30_000;

/** pause.c's behaviour in node, for images built without a C compiler: `node -e IDLE_SCRIPT <link name>`. */
export const IDLE_SCRIPT = [
  "process.on('SIGTERM',()=>process.exit(0));",
  "const link=process.argv[1];",
  "if(!link)setInterval(()=>{},1<<30);",
  `else{const t=setTimeout(()=>process.exit(3),${LINK_WAIT_MS});`,
  "const s=require('net').createServer(c=>{s.close();clearTimeout(t);c.resume();c.on('error',()=>{});c.on('close',()=>process.exit(0))});",
  "s.maxConnections=1;s.on('error',()=>process.exit(4));s.listen('\\0'+link)}",
].join("");

/** The container's entrypoint: the pause program (or node) holding the controller's link. */
export function pauseEntrypoint(pauseProgram: string | undefined, link: string): string[] {
  return pauseProgram ? [pauseProgram, link] : ["node", "--max-old-space-size=8", "-e", IDLE_SCRIPT, link];
}

export interface SandboxContext {
  controllerId: string;
  controllerName: string;
  /** The controller's image id. */
  imageId: string;
  /** The cgroup every container of the pod is created in (the pod's resource envelope). */
  cgroupParent?: string;
  /** The pause program's path inside the image, when it has one. */
  pauseProgram?: string;
  /** The abstract socket name the sandbox listens on for its controller (pod-link.ts). */
  link: string;
}

/** How a member joins the pod's namespaces. */
export interface PodNamespaces {
  /** HostConfig.PidMode of members: undefined with --no-pids. */
  pidMode?: string;
  /** HostConfig.IpcMode of members: undefined with --no-ipc. */
  ipcMode?: string;
  /** The sandbox is needed when members share any namespace it owns. */
  sandbox: boolean;
}

export function podNamespaces(flags: Pick<ControllerFlags, "pids" | "ipc">, controllerName: string): PodNamespaces {
  const joined = `container:${sandboxContainerName(controllerName)}`;
  return {
    pidMode: flags.pids ? joined : undefined,
    ipcMode: flags.ipc ? joined : undefined,
    sandbox: flags.pids || flags.ipc,
  };
}

export function sandboxCreateBody(context: SandboxContext): { name: string; body: CreateBody } {
  return linkedPauseContainer(context, sandboxContainerName(context.controllerName), "sandbox", {
    // its own PID namespace (whose PID 1 it is) and an IPC namespace others may join
    PidMode: "",
    IpcMode: "shareable",
  });
}

/**
 * A container of the pod that runs only the pause program tied to the controller's link: the sandbox,
 * or the secrets' keeper. It is in the controller's network namespace (where the link's socket is) and is
 * removed by the engine once stopped, also when restored after an engine restart or a power loss.
 */
export function linkedPauseContainer(
  context: SandboxContext,
  name: string,
  role: "sandbox" | "secrets",
  host: Record<string, unknown>,
): { name: string; body: CreateBody } {
  const hostConfig: Record<string, unknown> = { NetworkMode: `container:${context.controllerId}`, AutoRemove: true, ...host };
  if (context.cgroupParent) hostConfig.CgroupParent = context.cgroupParent;
  return {
    name,
    body: {
      Image: context.imageId,
      Entrypoint: pauseEntrypoint(context.pauseProgram, context.link),
      Cmd: [],
      // the controller image's own HEALTHCHECK is for the controller, not for this
      Healthcheck: { Test: ["NONE"] },
      Labels: ownershipLabels(context.controllerId, role, role),
      HostConfig: hostConfig,
    },
  };
}
