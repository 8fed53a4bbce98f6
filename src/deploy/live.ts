import { engineFailure } from "../engine/errors.js";
import type { Swarm } from "../engine/swarm.js";
import { stackFilter } from "./names.js";
import type { LiveStack } from "./types.js";

const UPDATING = new Set(["updating", "rollback_started"]);

/** What the engine holds for the stack, plus every network (external ones are looked up by name). */
export async function readLiveStack(swarm: Swarm, stack: string): Promise<LiveStack> {
  try {
    const [services, networks, configs, secrets] = await Promise.all([
      swarm.listServices(stackFilter(stack)),
      swarm.listNetworks(),
      swarm.listObjects("config"),
      swarm.listObjects("secret"),
    ]);
    return {
      services: services.map((s) => ({
        id: s.id,
        name: s.name,
        version: s.version,
        spec: s.spec,
        previousSpec: s.previousSpec,
        updating: UPDATING.has(s.updateState ?? ""),
      })),
      networks: networks.map((n) => ({ id: n.id, name: n.name, labels: n.labels })),
      configs,
      secrets,
    };
  } catch (error) {
    throw engineFailure(error, `reading stack ${stack}`, swarm);
  }
}
