import type { TreePath } from "../diagnostics/diagnostic.js";
import { PODS_KEY } from "./model.js";

/**
 * After interpolation a value like `replicas: ${N}` is the string "3", but
 * Swarm and the schema want a number. As Compose does, values that were
 * interpolated are turned back into numbers or booleans at the paths where
 * the Compose format expects them ("*" matches one segment).
 */

type Cast = "int" | "float" | "bool";

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

function castFor(path: TreePath): Cast | undefined {
  for (const [pattern, cast] of CASTS) {
    if (pattern.length === path.length && pattern.every((s, i) => s === "*" || s === String(path[i]))) return cast;
  }
  return undefined;
}

/** `value` (an interpolated string at `path`) as the type Compose expects there; unchanged when it does not read as one. */
export function castInterpolated(path: TreePath, value: string): unknown {
  const cast = castFor(path);
  if (!cast) return value;
  const text = value.trim();
  if (cast === "int" && /^[-+]?\d+$/.test(text)) return Number(text);
  if (cast === "float" && /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (cast === "bool") {
    if (/^(y|yes|true|on)$/i.test(text)) return true;
    if (/^(n|no|false|off)$/i.test(text)) return false;
  }
  return value;
}
