/**
 * Makes a service (or a top-level section) acceptable to `docker stack
 * deploy`: what the Swarm file format rejects is removed with a warning, a few
 * Compose-only spellings are moved to their Swarm form, and what cannot reach
 * a node (env_file) is resolved here.
 */
import type { TreePath } from "../diagnostics/index.js";
import { normalizeLabels } from "../compose/normalize.js";
import { containerEnvironment, report, isMapping, plainCopy, useFormat, type EmitContext } from "./context.js";
import {
  MOVED_TO_DEPLOY, SWARM_DEPLOY_KEYS, SWARM_RESOURCES_KEYS, type FormatKeys, SWARM_FILE_REFERENCE_KEYS, SWARM_HEALTHCHECK_KEYS, SWARM_LIMIT_KEYS,
  SWARM_IPAM_KEYS, SWARM_IPAM_POOL_KEYS, SWARM_LOGGING_KEYS, SWARM_PLACEMENT_KEYS, SWARM_PORT_KEYS, SWARM_RESERVATION_KEYS, SWARM_RESTART_POLICY_KEYS,
  SWARM_MOUNT_TYPES_SINCE, SWARM_SERVICE_KEYS, SWARM_SERVICE_NETWORK_KEYS, SWARM_TOP_LEVEL_KEYS, SWARM_UPDATE_KEYS, SWARM_VOLUME_MOUNT_KEYS,
} from "./swarm-schema.js";
import type { SwarmService } from "./types.js";
import { writeVolumePaths } from "./output-paths.js";
import { setOwn } from "../compose/own-keys.js";

const SWARM_HINT = "docker stack deploy rejects this key; remove it, or move the setting to its Swarm form";

/**
 * Keeps the keys of `value` some stack file format has, and raises the
 * stack's format to the version each needs; drops the others, warning about
 * each. Extension fields (`x-*`) stay where the format allows them
 * (`extensions`) and are dropped silently elsewhere.
 */
function keepAllowed(
  ctx: EmitContext,
  value: Record<string, unknown>,
  allowed: FormatKeys,
  path: TreePath,
  what: string,
  hint: string = SWARM_HINT,
  extensions = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const since = allowed.get(key);
    if (since !== undefined) {
      out[key] = v;
      useFormat(ctx, since);
    } else if (key.startsWith("x-")) {
      if (extensions) out[key] = plainCopy(v);
    } else
      report(ctx, {
        code: "SWARM_UNSUPPORTED_KEY",
        severity: "warning",
        message: `${what}: "${key}" is not part of the Swarm stack format; dropped`,
        path: [...path, key],
        prefer: "key",
        hint,
      });
  }
  return out;
}

function stringValues(value: unknown): Record<string, string> | unknown {
  if (Array.isArray(value) || isMapping(value)) return normalizeLabels(value);
  return value;
}

function toCpus(value: unknown): unknown {
  return typeof value === "number" ? String(value) : value;
}

function toMemory(value: unknown): unknown {
  if (typeof value === "number") return `${value}b`;
  return value;
}

/** Swarm's `deploy`: only 3.9 keys, cpus and memory as strings. */
export function cleanDeploy(ctx: EmitContext, deploy: Record<string, unknown>, path: TreePath, what: string): Record<string, unknown> {
  const out = keepAllowed(ctx, deploy, SWARM_DEPLOY_KEYS, path, what);
  const nested: [string, FormatKeys][] = [
    ["update_config", SWARM_UPDATE_KEYS],
    ["rollback_config", SWARM_UPDATE_KEYS],
    ["restart_policy", SWARM_RESTART_POLICY_KEYS],
    ["placement", SWARM_PLACEMENT_KEYS],
  ];
  for (const [key, allowed] of nested) {
    if (isMapping(out[key])) out[key] = keepAllowed(ctx, out[key] as Record<string, unknown>, allowed, [...path, key], what);
  }
  if (out.labels !== undefined) out.labels = stringValues(out.labels);
  if (isMapping(out.resources)) {
    const resources = keepAllowed(ctx, out.resources, SWARM_RESOURCES_KEYS, [...path, "resources"], what);
    for (const [key, allowed] of [["limits", SWARM_LIMIT_KEYS], ["reservations", SWARM_RESERVATION_KEYS]] as const) {
      if (!isMapping(resources[key])) continue;
      const r = keepAllowed(ctx, resources[key] as Record<string, unknown>, allowed, [...path, "resources", key], what);
      if (r.cpus !== undefined) r.cpus = toCpus(r.cpus);
      if (r.memory !== undefined) r.memory = toMemory(r.memory);
      resources[key] = r;
    }
    out.resources = resources;
  }
  return out;
}

function cleanPorts(ctx: EmitContext, ports: unknown[], path: TreePath, what: string): unknown[] {
  return ports.map((entry, index) => {
    if (!isMapping(entry)) return entry;
    const port = keepAllowed(ctx, entry, SWARM_PORT_KEYS, [...path, index], what, "Swarm publishes on every address of the node; remove the key");
    for (const key of ["target", "published"]) {
      if (typeof port[key] === "string" && /^\d+$/.test(port[key] as string)) port[key] = Number(port[key]);
    }
    return port;
  });
}

function cleanFileReferences(ctx: EmitContext, refs: unknown[], path: TreePath, what: string): unknown[] {
  return refs.map((entry, index) => {
    if (!isMapping(entry)) return entry;
    const ref = keepAllowed(ctx, entry, SWARM_FILE_REFERENCE_KEYS, [...path, index], what);
    for (const key of ["uid", "gid"]) if (typeof ref[key] === "number") ref[key] = String(ref[key]);
    return ref;
  });
}

function cleanMount(ctx: EmitContext, mount: Record<string, unknown>, path: TreePath, what: string): Record<string, unknown> {
  const since = typeof mount.type === "string" ? SWARM_MOUNT_TYPES_SINCE.get(mount.type) : undefined;
  if (since !== undefined) useFormat(ctx, since);
  return keepAllowed(ctx, mount, SWARM_VOLUME_MOUNT_KEYS, path, what);
}

export interface CleanOptions {
  /** Variables for bare `environment` entries and env files. */
  variables: Record<string, string>;
  /** True for a service that stays a service of its own in the stack (not a pod member, not inactive). */
  isKept: (service: string) => boolean;
}

/** A service outside every pod, made Swarm-clean. Positions are read from `ctx.raw` at `["services", name]`. */
export function cleanService(ctx: EmitContext, name: string, service: Record<string, unknown>, options: CleanOptions): SwarmService | undefined {
  const path: TreePath = ["services", name];
  const what = `service "${name}"`;

  if (service.build !== undefined && typeof service.image !== "string") {
    report(ctx, {
      code: "BUILD_WITHOUT_IMAGE",
      severity: "error",
      message: `${what} has build but no image; Swarm cannot build images`,
      path: [...path, "build"],
      prefer: "key",
      hint: "add an image name, build and push it (docker compose build && docker compose push), then convert",
    });
    return undefined;
  }

  const input: Record<string, unknown> = { ...service };
  // Compose-only development keys: dropped without a word, as docker stack deploy users expect.
  delete input.build;
  delete input.develop;
  delete input.profiles;

  const environment = containerEnvironment(ctx, service, options.variables, path);
  delete input.env_file;
  if (environment) input.environment = environment;
  else delete input.environment;

  const movedDeploy: Record<string, unknown> = isMapping(input.deploy) ? plainCopy(input.deploy) : {};
  let moved = false;
  for (const [key, target] of Object.entries(MOVED_TO_DEPLOY)) {
    if (input[key] === undefined) continue;
    const value = input[key];
    delete input[key];
    let node = movedDeploy;
    for (const segment of target.slice(0, -1)) {
      if (!isMapping(node[segment])) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    const leaf = target[target.length - 1]!;
    if (node[leaf] === undefined) {
      node[leaf] = value; // cleanDeploy below writes cpus and memory in Swarm's form
      moved = true;
    }
  }
  if (moved) input.deploy = movedDeploy;

  const out = keepAllowed(ctx, input, SWARM_SERVICE_KEYS, path, what, SWARM_HINT, true);
  if (isMapping(out.deploy)) out.deploy = cleanDeploy(ctx, out.deploy, [...path, "deploy"], what);
  if (out.depends_on !== undefined) {
    const names: string[] = [];
    const deps = Array.isArray(out.depends_on) ? out.depends_on : isMapping(out.depends_on) ? Object.keys(out.depends_on) : [];
    // Swarm ignores depends_on; it is kept as a list for readers. One on a pod member is dropped (lint says so).
    for (const dep of deps) {
      if (typeof dep === "string" && options.isKept(dep) && dep !== name && !names.includes(dep)) names.push(dep);
    }
    if (names.length) out.depends_on = names;
    else delete out.depends_on;
  }
  for (const key of ["labels", "sysctls"]) if (out[key] !== undefined) out[key] = stringValues(out[key]);
  if (isMapping(out.healthcheck)) out.healthcheck = keepAllowed(ctx, out.healthcheck, SWARM_HEALTHCHECK_KEYS, [...path, "healthcheck"], what);
  if (isMapping(out.logging)) out.logging = keepAllowed(ctx, out.logging, SWARM_LOGGING_KEYS, [...path, "logging"], what);
  if (Array.isArray(out.ports)) out.ports = cleanPorts(ctx, out.ports, [...path, "ports"], what);
  for (const key of ["configs", "secrets"]) {
    if (Array.isArray(out[key])) out[key] = cleanFileReferences(ctx, out[key] as unknown[], [...path, key], what);
  }
  if (Array.isArray(out.volumes)) {
    const volumes = out.volumes.map((entry, index) =>
      isMapping(entry) ? cleanMount(ctx, entry, [...path, "volumes", index], what) : entry,
    );
    out.volumes = writeVolumePaths(volumes, ctx.paths);
  }
  if (isMapping(out.networks)) {
    const networks: Record<string, unknown> = {};
    for (const [network, settings] of Object.entries(out.networks)) {
      setOwn(
        networks,
        network,
        isMapping(settings) ? keepAllowed(ctx, settings, SWARM_SERVICE_NETWORK_KEYS, [...path, "networks", network], what) : settings,
      );
    }
    out.networks = networks;
  }
  return out;
}

/** A top-level section (networks, volumes, configs, secrets) with only what Swarm reads; empty entries become {}. */
export function cleanTopLevel(ctx: EmitContext, section: string, value: unknown): Record<string, unknown> | undefined {
  if (!isMapping(value)) return undefined;
  const allowed = SWARM_TOP_LEVEL_KEYS[section]!;
  const out: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(value)) {
    const what = `${section.replace(/s$/, "")} "${name}"`;
    const hint =
      (section === "configs" || section === "secrets") && isMapping(entry) && ("content" in entry || "environment" in entry)
        ? `Swarm creates ${section} from files only; write the value to a file and use file:`
        : SWARM_HINT;
    const cleaned = isMapping(entry) ? keepAllowed(ctx, entry, allowed, [section, name], what, hint, true) : {};
    if (section === "networks" && isMapping(cleaned.ipam)) cleaned.ipam = cleanIpam(ctx, cleaned.ipam, [section, name, "ipam"], what);
    if (cleaned.labels !== undefined) cleaned.labels = stringValues(cleaned.labels);
    if (typeof cleaned.file === "string") cleaned.file = ctx.paths(cleaned.file);
    setOwn(out, name, cleaned);
  }
  return Object.keys(out).length ? out : undefined;
}

const IPAM_HINT = "docker stack deploy reads only a subnet per pool; remove the key (podlike deploy applies it through the Engine API)";

/** A network's ipam as the stack format has it: a driver and a subnet per pool. */
function cleanIpam(ctx: EmitContext, ipam: Record<string, unknown>, path: TreePath, what: string): Record<string, unknown> {
  const out = keepAllowed(ctx, ipam, SWARM_IPAM_KEYS, path, what, IPAM_HINT);
  if (Array.isArray(out.config)) {
    out.config = out.config.map((pool, index) =>
      isMapping(pool) ? keepAllowed(ctx, pool, SWARM_IPAM_POOL_KEYS, [...path, "config", index], what, IPAM_HINT) : pool,
    );
  }
  return out;
}
