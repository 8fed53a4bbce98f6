import type { TreePath } from "../diagnostics/diagnostic.js";
import { PODS_KEY } from "./model.js";

/**
 * Where the Compose format expects a number or a boolean, a string is read as
 * one, as docker compose does: `replicas: ${N}` interpolates to "3", and
 * `replicas: "3"` is written as a string. Every string at those paths ("*"
 * matches one segment) is cast; one that does not read as its type
 * (`replicas: many`) is an error, never passed on to Swarm.
 */

export type Cast = "int" | "float" | "bool";

const CASTS: [string[], Cast][] = (
  [
    ["services.*.cpu_count", "int"],
    ["services.*.cpu_percent", "float"],
    ["services.*.cpu_period", "int"],
    ["services.*.cpu_quota", "int"],
    ["services.*.cpu_rt_period", "int"],
    ["services.*.cpu_rt_runtime", "int"],
    ["services.*.cpus", "float"],
    ["services.*.cpu_shares", "int"],
    ["services.*.init", "bool"],
    ["services.*.mem_swappiness", "int"],
    ["services.*.oom_kill_disable", "bool"],
    ["services.*.oom_score_adj", "int"],
    ["services.*.pids_limit", "int"],
    ["services.*.privileged", "bool"],
    ["services.*.read_only", "bool"],
    ["services.*.scale", "int"],
    ["services.*.stdin_open", "bool"],
    ["services.*.tty", "bool"],
    ["services.*.healthcheck.retries", "int"],
    ["services.*.healthcheck.disable", "bool"],
    ["services.*.deploy.replicas", "int"],
    ["services.*.deploy.update_config.parallelism", "int"],
    ["services.*.deploy.update_config.max_failure_ratio", "float"],
    ["services.*.deploy.rollback_config.parallelism", "int"],
    ["services.*.deploy.rollback_config.max_failure_ratio", "float"],
    ["services.*.deploy.restart_policy.max_attempts", "int"],
    ["services.*.deploy.resources.limits.pids", "int"],
    ["services.*.deploy.resources.limits.cpus", "float"],
    ["services.*.deploy.resources.reservations.cpus", "float"],
    ["services.*.deploy.placement.max_replicas_per_node", "int"],
    ["services.*.ports.*.target", "int"],
    ["services.*.ulimits.*", "int"],
    ["services.*.ulimits.*.hard", "int"],
    ["services.*.ulimits.*.soft", "int"],
    ["services.*.volumes.*.read_only", "bool"],
    ["services.*.volumes.*.volume.nocopy", "bool"],
    ["services.*.volumes.*.bind.create_host_path", "bool"],
    ["services.*.env_file.*.required", "bool"],
    ["services.*.depends_on.*.required", "bool"],
    ["services.*.depends_on.*.restart", "bool"],
    ["networks.*.external", "bool"],
    ["networks.*.internal", "bool"],
    ["networks.*.attachable", "bool"],
    ["networks.*.enable_ipv6", "bool"],
    ["volumes.*.external", "bool"],
    ["secrets.*.external", "bool"],
    ["configs.*.external", "bool"],
    [`${PODS_KEY}.*.deploy.replicas`, "int"],
    [`${PODS_KEY}.*.controller.logs`, "bool"],
    [`${PODS_KEY}.*.controller.pull`, "bool"],
    [`${PODS_KEY}.*.controller.share.pid`, "bool"],
    [`${PODS_KEY}.*.controller.share.ipc`, "bool"],
    [`${PODS_KEY}.*.controller.share.volumes`, "bool"],
  ] as [string, Cast][]
).map(([p, cast]) => [p.split("."), cast]);

/** The casts whose pattern ends in a named segment, by that segment; the rest end in "*". */
const CASTS_BY_LAST = new Map<string, [string[], Cast][]>();
const CASTS_ENDING_ANY: [string[], Cast][] = [];
for (const entry of CASTS) {
  const last = entry[0][entry[0].length - 1]!;
  if (last === "*") CASTS_ENDING_ANY.push(entry);
  else CASTS_BY_LAST.set(last, [...(CASTS_BY_LAST.get(last) ?? []), entry]);
}

function matches(pattern: string[], path: TreePath): boolean {
  if (pattern.length !== path.length) return false;
  for (let i = 0; i < pattern.length; i++) if (pattern[i] !== "*" && pattern[i] !== String(path[i])) return false;
  return true;
}

/** The longest pattern: a longer path is never cast. */
const LONGEST_CAST = Math.max(...CASTS.map(([pattern]) => pattern.length));

export function castFor(path: TreePath): Cast | undefined {
  if (path.length > LONGEST_CAST) return undefined;
  const named = CASTS_BY_LAST.get(String(path[path.length - 1]));
  if (named) for (const [pattern, cast] of named) if (matches(pattern, path)) return cast;
  for (const [pattern, cast] of CASTS_ENDING_ANY) if (matches(pattern, path)) return cast;
  return undefined;
}

/** How a finding names each type, and the fix it suggests after "write". */
export const CAST_WORDS: Record<Cast, { type: string; fix: string }> = {
  int: { type: "an integer", fix: "a whole number, e.g. %s: 3" },
  float: { type: "a number", fix: "a number, e.g. %s: 0.5" },
  bool: { type: "a boolean", fix: "true or false, e.g. %s: true" },
};

/** `value` as the type `cast` names, or undefined when it does not read as one. */
export function castString(cast: Cast, value: string): number | boolean | undefined {
  const text = value.trim();
  if (cast === "int" && /^[-+]?\d+$/.test(text)) return Number(text);
  if (cast === "float" && /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (cast === "bool") {
    if (/^(y|yes|true|on)$/i.test(text)) return true;
    if (/^(n|no|false|off)$/i.test(text)) return false;
  }
  return undefined;
}
