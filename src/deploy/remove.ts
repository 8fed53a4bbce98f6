import { OperationError } from "../diagnostics/errors.js";
import { engineFailure, engineMessage, isNotFound } from "../engine/errors.js";
import type { StoredObject, StoredObjectKind, Swarm } from "../engine/swarm.js";
import { checkStackName, stackFilter } from "./names.js";

export type RemovedKind = "service" | "network" | "config" | "secret";

export interface RemoveOptions {
  /** Do not wait for the tasks to stop; networks still in use are left behind. */
  detach: boolean;
  timeoutMs?: number;
  onRemoved?(kind: RemovedKind, name: string): void;
  sleep?: (ms: number) => Promise<void>;
}

export interface RemoveOutcome {
  /** False when the engine holds nothing of the stack. */
  found: boolean;
  /** What could not be removed (only with detach: networks whose tasks still run). */
  left: { kind: RemovedKind; name: string; reason: string }[];
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** Removes everything deploy created for the stack (never volumes), and by default waits until it is gone. */
export async function removeStack(swarm: Swarm, stack: string, options: RemoveOptions): Promise<RemoveOutcome> {
  checkStackName(stack);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const filter = stackFilter(stack);
  let [services, networks, configs, secrets] = await Promise.all([
    swarm.listServices(filter),
    swarm.listNetworks(filter),
    swarm.listObjects("config", filter),
    swarm.listObjects("secret", filter),
  ]).catch((error: unknown) => Promise.reject(engineFailure(error, `reading stack ${stack}`, swarm)));
  // Network scope "swarm" only: a local network of the same label belongs to no stack deploy.
  networks = networks.filter((n) => n.scope === "swarm");
  if (!services.length && !networks.length && !configs.length && !secrets.length) return { found: false, left: [] };

  await Promise.all(
    services.map(async (s) => {
      try {
        await swarm.removeService(s.id);
      } catch (error) {
        if (!isNotFound(error)) throw engineFailure(error, `removing service ${s.name}`, swarm);
      }
      options.onRemoved?.("service", s.name);
    }),
  );
  await Promise.all([...configs.map((c) => removeObject(swarm, "config", c, options)), ...secrets.map((s) => removeObject(swarm, "secret", s, options))]);

  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const left: RemoveOutcome["left"] = [];
  const serviceIds = new Set(services.map((s) => s.id));
  if (!options.detach && serviceIds.size) {
    // Networks can only go once the tasks' containers have left them.
    for (;;) {
      let remaining: number;
      try {
        // By the stack's label, not by service: the engine rejects a filter naming a removed service.
        remaining = (await swarm.listTasks(filter)).filter((t) => serviceIds.has(t.serviceId)).length;
      } catch (error) {
        throw engineFailure(error, "following the stack's tasks", swarm);
      }
      if (!remaining) break;
      if (Date.now() > deadline) throw new OperationError(`gave up waiting for the tasks of stack ${stack} to stop`, `docker stack ps ${stack} shows what still runs; run podlike rm ${stack} again`);
      await sleep(300);
    }
  }
  await Promise.all(
    networks.map(async (n) => {
      for (;;) {
        try {
          await swarm.removeNetwork(n.id);
          options.onRemoved?.("network", n.name);
          return;
        } catch (error) {
          if (isNotFound(error)) return;
          if (options.detach) {
            left.push({ kind: "network", name: n.name, reason: engineMessage(error) });
            return;
          }
          if (Date.now() > deadline) throw engineFailure(error, `removing network ${n.name}`, swarm);
          await sleep(300);
        }
      }
    }),
  );
  return { found: true, left };
}

async function removeObject(swarm: Swarm, kind: StoredObjectKind, object: StoredObject, options: RemoveOptions): Promise<void> {
  try {
    await swarm.removeObject(kind, object.id);
    options.onRemoved?.(kind, object.name);
  } catch (error) {
    if (!isNotFound(error)) throw engineFailure(error, `removing ${kind} ${object.name}`, swarm);
  }
}
