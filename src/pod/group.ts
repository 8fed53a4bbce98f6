import type { PodDeclaration, ControllerSettings } from "./model.js";
import { PODS_KEY } from "../compose/model.js";
import { isMapping } from "../yaml/mapping.js";

function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function readController(value: unknown): ControllerSettings {
  const c = isMapping(value) ? value : {};
  const share = isMapping(c.share) ? c.share : {};
  return {
    image: typeof c.image === "string" ? c.image : undefined,
    logs: c.logs === true,
    pull: c.pull === true,
    share: {
      pid: share.pid !== false,
      ipc: share.ipc !== false,
      volumes: share.volumes === true,
    },
  };
}

/** The pods declared under `x-pods`, in file order. Malformed entries are read as far as they go. */
export function readPods(raw: Record<string, unknown>): PodDeclaration[] {
  const pods = raw[PODS_KEY];
  if (!isMapping(pods)) return [];
  return Object.entries(pods).map(([name, value]) => {
    const pod = isMapping(value) ? value : {};
    return {
      name,
      components: names(pod.components),
      init: names(pod.init),
      deploy: isMapping(pod.deploy) ? pod.deploy : undefined,
      controller: readController(pod.controller),
      path: [PODS_KEY, name],
    };
  });
}

/** service name → the pod it belongs to (first pod wins; lint reports a service in two pods). */
export function podOfService(pods: readonly PodDeclaration[]): Map<string, PodDeclaration> {
  const owner = new Map<string, PodDeclaration>();
  for (const pod of pods) for (const member of [...pod.init, ...pod.components]) if (!owner.has(member)) owner.set(member, pod);
  return owner;
}
