import type { EngineSpec, ServiceSpec } from "./types.js";
import { isMapping } from "../yaml/mapping.js";
import { setOwn } from "../compose/own-keys.js";

/**
 * Specs as they are compared and shown in diffs. The engine fills in defaults
 * on what it stores (Isolation "default", Runtime "container", update-config
 * defaults), refers to networks, configs and secrets by ID, and drops false
 * and zero fields; a spec podlike sends holds names and leaves defaults out.
 * Both sides are brought to one form so that only real differences remain.
 */
export interface CanonicalOptions {
  /** Network ID → name, to read the engine's Target IDs as names. */
  networkNames: ReadonlyMap<string, string>;
  /** Config ID → name, for the one place a config is named by ID (a credential spec). */
  configNames?: ReadonlyMap<string, string>;
}

const ENGINE_DEFAULTS: ReadonlyArray<[path: string[], value: unknown]> = [
  [["TaskTemplate", "ContainerSpec", "Isolation"], "default"],
  [["TaskTemplate", "Runtime"], "container"],
  [["EndpointSpec", "Mode"], "vip"],
  [["UpdateConfig", "FailureAction"], "pause"],
  [["UpdateConfig", "Order"], "stop-first"],
  [["RollbackConfig", "FailureAction"], "pause"],
  [["RollbackConfig", "Order"], "stop-first"],
];

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}

/** Removes what carries no meaning: null, false, 0, "", [] and {} (after their own contents went). */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = prune((value as Record<string, unknown>)[key]);
      if (v !== undefined) setOwn(out, key, v);
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (value === null || value === false || value === 0 || value === "") return undefined;
  return value;
}

function dropDefault(spec: EngineSpec, path: string[], value: unknown): void {
  let node: EngineSpec | undefined = spec;
  for (const segment of path.slice(0, -1)) {
    const next: unknown = node?.[segment];
    node = isMapping(next) ? next : undefined;
  }
  const last = path[path.length - 1]!;
  if (node && node[last] === value) delete node[last];
}

export function canonicalSpec(spec: ServiceSpec, options: CanonicalOptions): ServiceSpec {
  const copy = clone(spec);
  for (const [path, value] of ENGINE_DEFAULTS) dropDefault(copy, path, value);
  const task = copy.TaskTemplate ?? {};
  // Stack deploy never forces a restart; the live counter is carried over on update.
  delete task.ForceUpdate;
  for (const network of task.Networks ?? []) {
    network.Target = options.networkNames.get(network.Target) ?? network.Target;
  }
  if (Array.isArray(task.Networks)) task.Networks.sort((a, b) => (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0));
  const container = task.ContainerSpec ?? {};
  for (const ref of container.Configs ?? []) delete ref.ConfigID;
  for (const ref of container.Secrets ?? []) delete ref.SecretID;
  const credential = container.Privileges?.CredentialSpec;
  if (credential?.Config) credential.Config = options.configNames?.get(credential.Config) ?? credential.Config;
  // Older engines spell it HealthCheck on the way in; what they store is Healthcheck.
  if (container.HealthCheck && !container.Healthcheck) {
    container.Healthcheck = container.HealthCheck;
    delete container.HealthCheck;
  }
  return (prune(copy) as EngineSpec | undefined) ?? {};
}

/** Key order stable, so two equal specs print (and compare) identically. */
export function specText(spec: EngineSpec): string {
  return JSON.stringify(spec, null, 2) + "\n";
}

export function specsEqual(a: EngineSpec, b: EngineSpec): boolean {
  return specText(a) === specText(b);
}
