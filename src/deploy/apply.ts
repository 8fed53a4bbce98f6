import { engineFailure, engineMessage, isNotFound, statusOf } from "../engine/errors.js";
import type { Swarm } from "../engine/swarm.js";
import type { Plan, PlanStep } from "./plan.js";
import type { DesiredService, LiveStack, ServiceSpec } from "./types.js";

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

function withObjectIds(spec: ServiceSpec, configIds: Map<string, string>, secretIds: Map<string, string>): ServiceSpec {
  const copy = structuredClone(spec);
  const container = copy.TaskTemplate?.ContainerSpec ?? {};
  for (const ref of container.Configs ?? []) ref.ConfigID = configIds.get(ref.ConfigName ?? "") ?? ref.ConfigID;
  for (const ref of container.Secrets ?? []) ref.SecretID = secretIds.get(ref.SecretName ?? "") ?? ref.SecretID;
  const credential = container.Privileges?.CredentialSpec;
  if (credential?.Config) credential.Config = configIds.get(credential.Config) ?? credential.Config;
  return copy;
}

function isInUse(error: unknown): boolean {
  return statusOf(error) === 400 || /in use/i.test(engineMessage(error));
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
export async function retireObjects(swarm: Swarm, objects: Plan["objectsToRetire"], hooks: ApplyHooks = {}): Promise<Plan["objectsToRetire"]> {
  const pending: Plan["objectsToRetire"] = [];
  await eachLimited(objects, CONCURRENCY, async (object) => {
    try {
      await swarm.removeObject(object.kind, object.id);
      hooks.onStep?.({ kind: object.kind, name: object.name, action: "remove" });
    } catch (error) {
      if (isNotFound(error)) return;
      if (isInUse(error)) pending.push(object);
      else throw engineFailure(error, `removing ${object.kind} ${object.name}`, swarm);
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
export async function applyPlan(swarm: Swarm, plan: Plan, live: LiveStack, hooks: ApplyHooks = {}): Promise<ApplyResult> {
  const configIds = new Map(live.configs.map((c) => [c.name, c.id]));
  const secretIds = new Map(live.secrets.map((s) => [s.name, s.id]));
  // Networks and configs/secrets do not refer to each other: both are made at once, before the services.
  const networks = eachLimited(plan.networksToCreate, CONCURRENCY, async (network) => {
    try {
      await swarm.createNetwork(network.create!);
    } catch (error) {
      throw engineFailure(error, `creating network ${network.name}`, swarm);
    }
    hooks.onStep?.({ kind: "network", name: network.name, action: "create" });
  });
  const objects = eachLimited(plan.objectsToCreate, CONCURRENCY, async (object) => {
    try {
      const id = await swarm.createObject(object.kind, object.spec ?? { Name: object.name }, object.data);
      (object.kind === "config" ? configIds : secretIds).set(object.name, id);
    } catch (error) {
      throw engineFailure(error, `creating ${object.kind} ${object.name}`, swarm);
    }
    hooks.onStep?.({ kind: object.kind, name: object.name, action: "create" });
  });
  await Promise.all([networks, objects]);

  const changedServiceIds: string[] = [];
  const create = async (service: DesiredService) => {
    const spec = withObjectIds(service.spec, configIds, secretIds);
    try {
      changedServiceIds.push(await swarm.createService(spec));
    } catch (error) {
      throw engineFailure(error, `creating service ${service.name}`, swarm);
    }
    hooks.onStep?.({ kind: "service", name: service.name, action: "create" });
  };
  const update = async ({ desired, live: current }: Plan["servicesToUpdate"][number]) => {
    const spec = withObjectIds(desired.spec, configIds, secretIds);
    spec.TaskTemplate = { ...spec.TaskTemplate, ForceUpdate: current!.spec.TaskTemplate?.ForceUpdate ?? 0 };
    let version = current!.version;
    for (let attempt = 1; ; attempt++) {
      try {
        await swarm.updateService(current!.id, version, spec);
        changedServiceIds.push(current!.id);
        break;
      } catch (error) {
        // The orchestrator writes to a service too (update status): read its version again and retry.
        if (attempt < 4 && /out of sequence/i.test(engineMessage(error))) {
          version = (await swarm.inspectService(current!.id).catch((e) => Promise.reject(engineFailure(e, `updating service ${desired.name}`, swarm)))).version;
          continue;
        }
        throw engineFailure(error, `updating service ${desired.name}`, swarm);
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
      await swarm.removeService(service.id);
    } catch (error) {
      if (!isNotFound(error)) throw engineFailure(error, `removing service ${service.name}`, swarm);
    }
    hooks.onStep?.({ kind: "service", name: service.name, action: "remove" });
  });

  return { changedServiceIds };
}
