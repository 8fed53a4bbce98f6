import type Docker from "dockerode";
import { OperationError } from "../diagnostics/errors.js";
import { engineError, type Engine } from "./engine-client.js";
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

function message(error: unknown): string {
  const e = error as { json?: { message?: string }; message?: string };
  return (e?.json?.message ?? e?.message ?? String(error)).trim();
}

const notFound = (error: unknown) => (error as { statusCode?: number }).statusCode === 404;

/** Removes everything deploy created for the stack (never volumes), and by default waits until it is gone. */
export async function removeStack(engine: Engine, stack: string, options: RemoveOptions): Promise<RemoveOutcome> {
  checkStackName(stack);
  const docker: Docker = engine.docker;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const filters = stackFilter(stack);
  let services: any[], networks: any[], configs: any[], secrets: any[];
  try {
    [services, networks, configs, secrets] = await Promise.all([
      docker.listServices({ filters } as never) as unknown as Promise<any[]>,
      docker.listNetworks({ filters } as never) as unknown as Promise<any[]>,
      docker.listConfigs({ filters } as never) as unknown as Promise<any[]>,
      docker.listSecrets({ filters } as never) as unknown as Promise<any[]>,
    ]);
  } catch (error) {
    throw engineError(error, `reading stack ${stack}`);
  }
  // Network scope "swarm" only: a local network of the same label belongs to no stack deploy.
  networks = networks.filter((n) => n.Scope === "swarm");
  if (!services.length && !networks.length && !configs.length && !secrets.length) return { found: false, left: [] };

  await Promise.all(
    services.map(async (s) => {
      try {
        await docker.getService(s.ID).remove();
      } catch (error) {
        if (!notFound(error)) throw engineError(error, `removing service ${s.Spec.Name}`);
      }
      options.onRemoved?.("service", s.Spec.Name);
    }),
  );
  await Promise.all([
    ...configs.map((c) => removeObject(() => docker.getConfig(c.ID).remove(), "config", c.Spec.Name, options)),
    ...secrets.map((s) => removeObject(() => docker.getSecret(s.ID).remove(), "secret", s.Spec.Name, options)),
  ]);

  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const left: RemoveOutcome["left"] = [];
  const serviceIds = services.map((s) => s.ID as string);
  if (!options.detach && serviceIds.length) {
    // Networks can only go once the tasks' containers have left them.
    for (;;) {
      let tasks: { ServiceID: string }[];
      try {
        // By the stack's label, not by service: the engine rejects a filter naming a removed service.
        tasks = ((await docker.listTasks({ filters } as never)) as unknown as { ServiceID: string }[]).filter((t) => serviceIds.includes(t.ServiceID));
      } catch (error) {
        throw engineError(error, "following the stack's tasks");
      }
      if (!tasks.length) break;
      if (Date.now() > deadline) throw new OperationError(`gave up waiting for the tasks of stack ${stack} to stop`, `docker stack ps ${stack} shows what still runs; run podlike rm ${stack} again`);
      await sleep(300);
    }
  }
  await Promise.all(
    networks.map(async (n) => {
      for (;;) {
        try {
          await docker.getNetwork(n.Id).remove();
          options.onRemoved?.("network", n.Name);
          return;
        } catch (error) {
          if (notFound(error)) return;
          if (options.detach) {
            left.push({ kind: "network", name: n.Name, reason: message(error) });
            return;
          }
          if (Date.now() > deadline) throw engineError(error, `removing network ${n.Name}`);
          await sleep(300);
        }
      }
    }),
  );
  return { found: true, left };
}

async function removeObject(remove: () => Promise<unknown>, kind: RemovedKind, name: string, options: RemoveOptions): Promise<void> {
  try {
    await remove();
    options.onRemoved?.(kind, name);
  } catch (error) {
    if (!notFound(error)) throw engineError(error, `removing ${kind} ${name}`);
  }
}
