import type Docker from "dockerode";
import { engineError } from "./engine-client.js";
import { stackFilter } from "./names.js";
import type { LiveStack } from "./types.js";

/** What the engine holds for the stack, plus every network (external ones are looked up by name). */
export async function readLiveStack(docker: Docker, stack: string): Promise<LiveStack> {
  try {
    const [services, networks, configs, secrets] = await Promise.all([
      docker.listServices({ filters: stackFilter(stack) } as never) as unknown as Promise<any[]>,
      docker.listNetworks() as Promise<any[]>,
      docker.listConfigs() as Promise<any[]>,
      docker.listSecrets() as Promise<any[]>,
    ]);
    return {
      services: services.map((s) => ({
        id: s.ID,
        name: s.Spec.Name,
        version: s.Version.Index,
        spec: s.Spec,
        previousSpec: s.PreviousSpec,
        updating: ["updating", "rollback_started"].includes(s.UpdateStatus?.State),
      })),
      networks: networks.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} })),
      configs: configs.map((c) => ({ id: c.ID, name: c.Spec.Name, labels: c.Spec.Labels ?? {} })),
      secrets: secrets.map((s) => ({ id: s.ID, name: s.Spec.Name, labels: s.Spec.Labels ?? {} })),
    };
  } catch (error) {
    throw engineError(error, `reading stack ${stack}`);
  }
}
