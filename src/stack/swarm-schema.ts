/**
 * What the Compose file format 3.9 allows, the newest format `docker stack
 * deploy` of the Docker 20.10 CLI reads (docker/cli cli/compose/schema,
 * config_schema_v3.9.json). Anything else makes the whole deploy fail, so the
 * converter removes it and says so.
 */

export const SWARM_SERVICE_KEYS = new Set([
  "build", "cap_add", "cap_drop", "cgroup_parent", "cgroupns_mode", "command", "configs", "container_name",
  "credential_spec", "depends_on", "deploy", "devices", "dns", "dns_search", "domainname", "entrypoint",
  "env_file", "environment", "expose", "external_links", "extra_hosts", "healthcheck", "hostname", "image",
  "init", "ipc", "isolation", "labels", "links", "logging", "mac_address", "network_mode", "networks", "pid",
  "ports", "privileged", "profiles", "read_only", "restart", "security_opt", "shm_size", "secrets", "sysctls",
  "stdin_open", "stop_grace_period", "stop_signal", "tmpfs", "tty", "ulimits", "user", "userns_mode",
  "volumes", "working_dir",
]);

export const SWARM_HEALTHCHECK_KEYS = new Set(["disable", "interval", "retries", "test", "timeout", "start_period"]);
export const SWARM_PORT_KEYS = new Set(["mode", "target", "published", "protocol"]);
export const SWARM_VOLUME_MOUNT_KEYS = new Set(["type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs"]);
export const SWARM_SERVICE_NETWORK_KEYS = new Set(["aliases", "ipv4_address", "ipv6_address"]);
export const SWARM_LOGGING_KEYS = new Set(["driver", "options"]);
export const SWARM_FILE_REFERENCE_KEYS = new Set(["source", "target", "uid", "gid", "mode"]);

export const SWARM_DEPLOY_KEYS = new Set([
  "mode", "endpoint_mode", "replicas", "labels", "rollback_config", "update_config", "resources", "restart_policy", "placement",
]);
export const SWARM_UPDATE_KEYS = new Set(["parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order"]);
export const SWARM_RESTART_POLICY_KEYS = new Set(["condition", "delay", "max_attempts", "window"]);
export const SWARM_PLACEMENT_KEYS = new Set(["constraints", "preferences", "max_replicas_per_node"]);
export const SWARM_LIMIT_KEYS = new Set(["cpus", "memory", "pids"]);
export const SWARM_RESERVATION_KEYS = new Set(["cpus", "memory", "generic_resources"]);

/** Top-level sections and the keys each of their entries may have. */
export const SWARM_TOP_LEVEL_KEYS: Record<string, Set<string>> = {
  networks: new Set(["name", "driver", "driver_opts", "ipam", "external", "internal", "attachable", "labels"]),
  volumes: new Set(["name", "driver", "driver_opts", "external", "labels"]),
  secrets: new Set(["name", "file", "external", "labels", "driver", "driver_opts", "template_driver"]),
  configs: new Set(["name", "file", "external", "labels", "template_driver"]),
};

/**
 * Container settings Compose has as service keys and Swarm only under
 * `deploy`: moved there (with a note) rather than dropped.
 */
export const MOVED_TO_DEPLOY: Record<string, readonly string[]> = {
  cpus: ["resources", "limits", "cpus"],
  mem_limit: ["resources", "limits", "memory"],
  mem_reservation: ["resources", "reservations", "memory"],
  pids_limit: ["resources", "limits", "pids"],
  scale: ["replicas"],
};
