/**
 * The pod's IPC holder. Since Docker 20.10 a container's IPC namespace is
 * private unless created "shareable", and a Swarm service cannot ask for
 * that. So when the controller's own IPC namespace cannot be joined, the pod
 * gets a tiny container with IpcMode shareable, in the controller's network
 * (and PID) namespace, whose IPC namespace the components join: created
 * first, removed last. It runs the controller's own image (present on the
 * node by definition, so it works offline): the image's podlike-pause
 * program (src/controller/pause/pause.c) when it has one, else node idling.
 */
import { ipcHolderContainerName, ownershipLabels } from "../labels/protocol.js";
import type { CreateBody } from "../engine/container-engine.js";

/** Where the controller images put podlike-pause. */
export const PAUSE_PROGRAM = "/usr/local/bin/podlike-pause";

export const IDLE_SCRIPT = "process.on('SIGTERM',()=>process.exit(0));setInterval(()=>{},1<<30)";

export interface HolderContext {
  controllerId: string;
  controllerName: string;
  /** The controller's image id. */
  imageId: string;
  cgroupParent?: string;
  sharePid: boolean;
  /** The pause program's path inside the image, when it has one. */
  pauseProgram?: string;
}

/** The holder is needed unless the controller's IPC namespace can be joined as it is. */
export function componentIpcMode(controllerIpcMode: string, controllerId: string, controllerName: string): { ipcMode: string; holder: boolean } {
  if (controllerIpcMode === "shareable") return { ipcMode: `container:${controllerId}`, holder: false };
  if (controllerIpcMode === "host" || controllerIpcMode.startsWith("container:")) return { ipcMode: controllerIpcMode, holder: false };
  return { ipcMode: `container:${ipcHolderContainerName(controllerName)}`, holder: true };
}

export function holderCreateBody(context: HolderContext): { name: string; body: CreateBody } {
  const host: Record<string, unknown> = {
    NetworkMode: `container:${context.controllerId}`,
    IpcMode: "shareable",
    // removed by the engine once stopped, also when restored after an engine restart or a power loss
    AutoRemove: true,
  };
  if (context.sharePid) host.PidMode = `container:${context.controllerId}`;
  if (context.cgroupParent) host.CgroupParent = context.cgroupParent;
  return {
    name: ipcHolderContainerName(context.controllerName),
    body: {
      Image: context.imageId,
      Entrypoint: context.pauseProgram ? [context.pauseProgram] : ["node", "--max-old-space-size=8", "-e", IDLE_SCRIPT],
      Cmd: [],
      // the controller image's own HEALTHCHECK is for the controller, not for this
      Healthcheck: { Test: ["NONE"] },
      Labels: ownershipLabels(context.controllerId, "ipc-holder", "ipc-holder"),
      HostConfig: host,
    },
  };
}
