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
 */
import { ownershipLabels, sandboxContainerName } from "../labels/protocol.js";
import type { CreateBody } from "../engine/container-engine.js";
import type { ControllerFlags } from "./flags.js";

/** Where the controller images put podlike-pause. */
export const PAUSE_PROGRAM = "/usr/local/bin/podlike-pause";

export const IDLE_SCRIPT = "process.on('SIGTERM',()=>process.exit(0));setInterval(()=>{},1<<30)";

export interface SandboxContext {
  controllerId: string;
  controllerName: string;
  /** The controller's image id. */
  imageId: string;
  /** The cgroup every container of the pod is created in (the pod's resource envelope). */
  cgroupParent?: string;
  /** The pause program's path inside the image, when it has one. */
  pauseProgram?: string;
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
  const host: Record<string, unknown> = {
    NetworkMode: `container:${context.controllerId}`,
    // its own PID namespace (whose PID 1 it is) and an IPC namespace others may join
    PidMode: "",
    IpcMode: "shareable",
    // removed by the engine once stopped, also when restored after an engine restart or a power loss
    AutoRemove: true,
  };
  if (context.cgroupParent) host.CgroupParent = context.cgroupParent;
  return {
    name: sandboxContainerName(context.controllerName),
    body: {
      Image: context.imageId,
      Entrypoint: context.pauseProgram ? [context.pauseProgram] : ["node", "--max-old-space-size=8", "-e", IDLE_SCRIPT],
      Cmd: [],
      // the controller image's own HEALTHCHECK is for the controller, not for this
      Healthcheck: { Test: ["NONE"] },
      Labels: ownershipLabels(context.controllerId, "sandbox", "sandbox"),
      HostConfig: host,
    },
  };
}
