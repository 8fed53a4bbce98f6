import type Docker from "dockerode";
import { engineError } from "./engine-client.js";
import type { Plan, PlanStep } from "./plan.js";
import type { DesiredService, EngineSpec, LiveStack } from "./types.js";

export interface ApplyHooks {
  /** Called as each change is made, for progress output. */
  onStep?(step: PlanStep): void;
}

export interface ApplyResult {
  /** IDs of the services created or updated: the ones a wait follows. */
  changedServiceIds: string[];
}

/** Runs `work` over `items`, at most `limit` at a time; the first failure wins. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}

/** Concurrent requests: enough to hide round trips, few enough not to crowd the manager's store. */
const CONCURRENCY = 16;

function withObjectIds(spec: EngineSpec, configIds: Map<string, string>, secretIds: Map<string, string>): EngineSpec {
  const copy = JSON.parse(JSON.stringify(spec)) as EngineSpec;
  const container = copy.TaskTemplate?.ContainerSpec ?? {};
  for (const ref of container.Configs ?? []) ref.ConfigID = configIds.get(ref.ConfigName) ?? ref.ConfigID;
  for (const ref of container.Secrets ?? []) ref.SecretID = secretIds.get(ref.SecretName) ?? ref.SecretID;
  const credential = container.Privileges?.CredentialSpec;
  if (credential?.Config) credential.Config = configIds.get(credential.Config) ?? credential.Config;
  return copy;
}

function isInUse(error: unknown): boolean {
  const e = error as { statusCode?: number; json?: { message?: string }; message?: string };
  const message = e?.json?.message ?? e?.message ?? "";
  return e?.statusCode === 400 || /in use/i.test(message);
}

/**
 * The configs and secrets to retire that no rollback can need: Swarm rolls an
 * update back to the service's previous spec, so while an update is under way
 * (the ones just made, and any the engine reports) the objects that spec
 * names stay.
 */
export function retirableNow(objects: Plan["objectsToRetire"], live: LiveStack, updatedIds: ReadonlySet<string>): Plan["objectsToRetire"] {
  const held = new Set<string>();
  for (const service of live.services) {
    if (!updatedIds.has(service.id) && !service.updating) continue;
    const previous = updatedIds.has(service.id) ? service.spec : service.previousSpec;
    const container = previous?.TaskTemplate?.ContainerSpec ?? {};
    for (const ref of container.Configs ?? []) held.add(`config:${ref.ConfigName}`);
    for (const ref of container.Secrets ?? []) held.add(`secret:${ref.SecretName}`);
  }
  return objects.filter((o) => !held.has(`${o.kind}:${o.name}`));
}

/** Tries to remove configs and secrets the stack no longer declares; those still in use are returned. */
export async function retireObjects(docker: Docker, objects: Plan["objectsToRetire"], hooks: ApplyHooks = {}): Promise<Plan["objectsToRetire"]> {
  const pending: Plan["objectsToRetire"] = [];
  await eachLimited(objects, CONCURRENCY, async (object) => {
    try {
      if (object.kind === "config") await docker.getConfig(object.id).remove();
      else await docker.getSecret(object.id).remove();
      hooks.onStep?.({ kind: object.kind, name: object.name, action: "remove" });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return;
      if (isInUse(error)) pending.push(object);
      else throw engineError(error, `removing ${object.kind} ${object.name}`);
    }
  });
  return pending;
}

/**
 * Makes the engine match the plan: networks, configs and secrets, then
 * services (which refer to them), then pruning. Retiring the configs and
 * secrets nothing uses is left to the caller: it must wait until no update
 * could roll back to them (see retirableNow).
 */
export async function applyPlan(docker: Docker, plan: Plan, live: LiveStack, hooks: ApplyHooks = {}): Promise<ApplyResult> {
  const configIds = new Map(live.configs.map((c) => [c.name, c.id]));
  const secretIds = new Map(live.secrets.map((s) => [s.name, s.id]));
  // Networks and configs/secrets do not refer to each other: both are made at once, before the services.
  const networks = eachLimited(plan.networksToCreate, CONCURRENCY, async (network) => {
    try {
      await docker.createNetwork({ _query: {}, _body: network.create } as never);
    } catch (error) {
      throw engineError(error, `creating network ${network.name}`);
    }
    hooks.onStep?.({ kind: "network", name: network.name, action: "create" });
  });
  const objects = eachLimited(plan.objectsToCreate, CONCURRENCY, async (object) => {
    const body = { ...object.spec, ...(object.data ? { Data: object.data.toString("base64") } : {}) };
    try {
      const created = (await (object.kind === "config"
        ? docker.createConfig({ _query: {}, _body: body } as never)
        : docker.createSecret({ _query: {}, _body: body } as never))) as { id?: string; ID?: string };
      (object.kind === "config" ? configIds : secretIds).set(object.name, created.id ?? created.ID ?? "");
    } catch (error) {
      throw engineError(error, `creating ${object.kind} ${object.name}`);
    }
    hooks.onStep?.({ kind: object.kind, name: object.name, action: "create" });
  });
  await Promise.all([networks, objects]);

  const changedServiceIds: string[] = [];
  const create = async (service: DesiredService) => {
    const spec = withObjectIds(service.spec, configIds, secretIds);
    try {
      // Two arguments: with one, dockerode sends the spec as the registry-auth header.
      const created = (await docker.createService(undefined as never, spec as never)) as unknown as { id: string };
      changedServiceIds.push(created.id);
    } catch (error) {
      throw engineError(error, `creating service ${service.name}`);
    }
    hooks.onStep?.({ kind: "service", name: service.name, action: "create" });
  };
  const update = async ({ desired, live: current }: Plan["servicesToUpdate"][number]) => {
    const spec = withObjectIds(desired.spec, configIds, secretIds);
    spec.TaskTemplate = { ...spec.TaskTemplate, ForceUpdate: current!.spec.TaskTemplate?.ForceUpdate ?? 0 };
    const service = docker.getService(current!.id);
    let version = current!.version;
    for (let attempt = 1; ; attempt++) {
      try {
        // _query/_body: otherwise dockerode also serialises the spec into the query string.
        await service.update({ _query: { version }, _body: spec } as never);
        changedServiceIds.push(current!.id);
        break;
      } catch (error) {
        // The orchestrator writes to a service too (update status): read its version again and retry.
        if (attempt < 4 && /out of sequence/i.test(String((error as { json?: { message?: string } }).json?.message ?? (error as Error).message))) {
          version = ((await service.inspect()) as { Version: { Index: number } }).Version.Index;
          continue;
        }
        throw engineError(error, `updating service ${desired.name}`);
      }
    }
    hooks.onStep?.({ kind: "service", name: desired.name, action: "update" });
  };
  await eachLimited(
    [...plan.servicesToCreate.map((s) => () => create(s)), ...plan.servicesToUpdate.map((c) => () => update(c))],
    CONCURRENCY,
    (job) => job(),
  );

  await eachLimited(plan.servicesToRemove, CONCURRENCY, async (service) => {
    try {
      await docker.getService(service.id).remove();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw engineError(error, `removing service ${service.name}`);
    }
    hooks.onStep?.({ kind: "service", name: service.name, action: "remove" });
  });

  return { changedServiceIds };
}
