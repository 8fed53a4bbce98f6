/**
 * What the stack file formats of `docker stack deploy` allow (docker/cli
 * cli/compose/schema/data/config_schema_v3.*.json), with the first format
 * version that has each key. 3.9 is the newest format the Docker 20.10 CLI
 * reads; convert writes the lowest version that holds every key it keeps
 * (stack-format.ts). A key no format has makes the whole deploy fail, so the
 * converter removes it and says so.
 */
import { SERVICE_KEYS, type FormatVersion } from "../keys/service-keys.js";

/** Allowed keys of one mapping → the first format version that has each. */
export type FormatKeys = ReadonlyMap<string, FormatVersion>;

/** `keys` as of 3.9, plus `later` keys added by newer formats. */
function formatKeys(keys: readonly string[], later: Record<string, FormatVersion> = {}): FormatKeys {
  return new Map<string, FormatVersion>([...keys.map((k) => [k, "3.9"] as const), ...Object.entries(later)]);
}

/** Service keys a stack file may hold: the stackFile column of the key table. */
export const SWARM_SERVICE_KEYS: FormatKeys = new Map(
  Object.entries(SERVICE_KEYS).flatMap(([key, row]) => (row.stackFile.kind === "format" ? [[key, row.stackFile.since] as const] : [])),
);

export const SWARM_HEALTHCHECK_KEYS = formatKeys(["disable", "interval", "retries", "test", "timeout", "start_period"], { start_interval: "3.12" });
export const SWARM_PORT_KEYS = formatKeys(["mode", "target", "published", "protocol"]);
export const SWARM_VOLUME_MOUNT_KEYS = formatKeys(["type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs"]);
/**
 * Mount types later than 3.9: `type: cluster` came with cluster volumes and
 * format 3.10 (Docker 23); an older CLI reads the type as a string and then
 * refuses the stack, so the version says what it needs.
 */
export const SWARM_MOUNT_TYPES_SINCE: ReadonlyMap<string, FormatVersion> = new Map([["cluster", "3.10"]]);
export const SWARM_SERVICE_NETWORK_KEYS = formatKeys(["aliases", "ipv4_address", "ipv6_address"], { driver_opts: "3.13" });
export const SWARM_LOGGING_KEYS = formatKeys(["driver", "options"]);
export const SWARM_FILE_REFERENCE_KEYS = formatKeys(["source", "target", "uid", "gid", "mode"]);

export const SWARM_DEPLOY_KEYS = formatKeys([
  "mode", "endpoint_mode", "replicas", "labels", "rollback_config", "update_config", "resources", "restart_policy", "placement",
]);
export const SWARM_UPDATE_KEYS = formatKeys(["parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order"]);
export const SWARM_RESTART_POLICY_KEYS = formatKeys(["condition", "delay", "max_attempts", "window"]);
export const SWARM_PLACEMENT_KEYS = formatKeys(["constraints", "preferences", "max_replicas_per_node"]);
export const SWARM_RESOURCES_KEYS = formatKeys(["limits", "reservations"]);
export const SWARM_LIMIT_KEYS = formatKeys(["cpus", "memory", "pids"]);
export const SWARM_RESERVATION_KEYS = formatKeys(["cpus", "memory", "generic_resources"]);

/** A network's ipam: docker stack deploy reads a subnet per pool, nothing else. */
export const SWARM_IPAM_KEYS = formatKeys(["driver", "config"]);
export const SWARM_IPAM_POOL_KEYS = formatKeys(["subnet"]);

/** Top-level sections and the keys each of their entries may have. */
export const SWARM_TOP_LEVEL_KEYS: Record<string, FormatKeys> = {
  networks: formatKeys(["name", "driver", "driver_opts", "ipam", "external", "internal", "attachable", "labels"]),
  // x-cluster-spec: the CSI cluster volume's specification, read by docker stack deploy from 3.10 on.
  volumes: formatKeys(["name", "driver", "driver_opts", "external", "labels"], { "x-cluster-spec": "3.10" }),
  secrets: formatKeys(["name", "file", "external", "labels", "driver", "driver_opts", "template_driver"]),
  configs: formatKeys(["name", "file", "external", "labels", "template_driver"]),
};

/**
 * Container settings Compose has as service keys and Swarm only under
 * `deploy`: moved there (with a note) rather than dropped.
 */
export const MOVED_TO_DEPLOY: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(SERVICE_KEYS).flatMap(([key, row]) => (row.stackFile.kind === "moved" ? [[key, row.stackFile.to] as const] : [])),
);
