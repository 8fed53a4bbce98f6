/**
 * Swarm-level settings of pod members moved onto the pod's controller
 * service: ports, networks (with each member's name as an alias), deploy,
 * named volumes, and configs and secrets (attached at internal paths and
 * copied into the member by the controller).
 */
import type { TreePath } from "../diagnostics/index.js";
import { normalizeFileReferences, normalizeLabels, normalizePorts, normalizeVolumes } from "../compose/normalize.js";
import type { PodDeclaration } from "../pod/model.js";
import { isMapping, plainCopy, report, useFormat, type EmitContext } from "./context.js";
import { SWARM_SERVICE_NETWORK_KEYS } from "./swarm-schema.js";
import { internalConfigPath, internalSecretPath, internalVolumePath, type CopySpec } from "../labels/protocol.js";
import { cleanDeploy } from "./swarm-clean.js";
import { getOwn, setOwn } from "../compose/own-keys.js";

export interface Member {
  name: string;
  service: Record<string, unknown>;
}

/** Code-unit order: the same on every machine, whatever its locale. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const servicePath = (member: string, ...rest: (string | number)[]): TreePath => ["services", member, ...rest];

// ---------------------------------------------------------------- ports

export interface SwarmPort {
  target: number;
  published?: number;
  protocol: string;
  mode: "ingress" | "host";
}

/** The union of the members' ports in long form; one published port claimed by two members is an error naming both. */
export function hoistPorts(ctx: EmitContext, pod: PodDeclaration, members: readonly Member[]): SwarmPort[] {
  const byPublished = new Map<string, { member: string; port: SwarmPort }>();
  const out: SwarmPort[] = [];
  const seen = new Set<string>();
  for (const member of members) {
    const entries = member.service.ports;
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, index) => {
      for (const port of normalizePorts([entry])) {
        const swarm: SwarmPort = { target: port.target, protocol: port.protocol, mode: port.mode };
        if (port.published !== undefined && /^\d+$/.test(port.published)) swarm.published = Number(port.published);
        if (port.host_ip !== undefined) {
          report(ctx, {
            code: "SWARM_UNSUPPORTED_KEY",
            severity: "warning",
            message: `service "${member.name}" of pod "${pod.name}": host address ${port.host_ip} of port ${port.target} is ignored; Swarm publishes on every address of the node`,
            path: servicePath(member.name, "ports", index),
            hint: "remove the address from the port, or put a firewall rule in front of the node",
          });
        }
        const identity = JSON.stringify(swarm);
        if (seen.has(identity)) continue;
        if (swarm.published !== undefined) {
          const key = `${swarm.published}/${swarm.protocol}`;
          const first = byPublished.get(key);
          if (first) {
            report(ctx, {
              code: "PORT_CLASH",
              severity: "error",
              message: `pod "${pod.name}": port ${key} is published by both "${first.member}" and "${member.name}"`,
              path: servicePath(member.name, "ports", index),
              hint: `the pod has one network namespace: publish ${key} from one member only, or publish another port`,
            });
            continue;
          }
          byPublished.set(key, { member: member.name, port: swarm });
        }
        seen.add(identity);
        out.push(swarm);
      }
    });
  }
  return out.sort((a, b) => (a.published ?? 0) - (b.published ?? 0) || a.target - b.target || compareText(a.protocol, b.protocol));
}

// ---------------------------------------------------------------- networks

export interface PodNetwork {
  aliases?: string[];
  driver_opts?: Record<string, string>;
}

/**
 * Each network any member joins ("default" for members without networks),
 * with the members' names and aliases as aliases, and the members' driver
 * options of the attachment (the pod has one attachment per network).
 */
export function hoistNetworks(
  ctx: EmitContext,
  pod: PodDeclaration,
  members: readonly Member[],
  /** Members that keep running (components): only they need to be reached by name. */
  reachable: ReadonlySet<string>,
): Record<string, PodNetwork> {
  const aliases = new Map<string, Set<string>>();
  const driverOpts = new Map<string, Map<string, { value: string; member: string }>>();
  const join = (network: string, names: string[]) => {
    const set = aliases.get(network) ?? new Set<string>();
    for (const n of names) if (n !== pod.name) set.add(n);
    aliases.set(network, set);
  };
  const joinAs = (network: string, member: string, own: string[]) => join(network, reachable.has(member) ? [member, ...own] : []);
  const addOptions = (network: string, member: string, options: Record<string, string>) => {
    const set = driverOpts.get(network) ?? new Map<string, { value: string; member: string }>();
    for (const [option, value] of Object.entries(options)) {
      const first = set.get(option);
      if (!first) set.set(option, { value, member });
      else if (first.value !== value) {
        report(ctx, {
          code: "SWARM_UNSUPPORTED_KEY",
          severity: "warning",
          message: `pod "${pod.name}": networks.${network}.driver_opts.${option} is "${value}" in "${member}" but "${first.value}" in "${first.member}"; the pod has one attachment to ${network}, which keeps "${first.value}"`,
          path: servicePath(member, "networks", network, "driver_opts", option),
          hint: `give ${option} one value in every member of pod "${pod.name}"`,
        });
      }
    }
    driverOpts.set(network, set);
  };
  for (const member of members) {
    const networks = member.service.networks;
    if (Array.isArray(networks)) {
      for (const network of networks) if (typeof network === "string") joinAs(network, member.name, []);
    } else if (isMapping(networks)) {
      for (const [network, settings] of Object.entries(networks)) {
        const own = isMapping(settings) && Array.isArray(settings.aliases) ? settings.aliases.filter((a): a is string => typeof a === "string") : [];
        joinAs(network, member.name, own);
        if (isMapping(settings)) {
          for (const key of Object.keys(settings)) {
            if (key === "aliases" || key.startsWith("x-")) continue;
            if (key === "driver_opts" && (isMapping(settings.driver_opts) || Array.isArray(settings.driver_opts))) {
              addOptions(network, member.name, normalizeLabels(settings.driver_opts));
              continue;
            }
            report(ctx, {
              code: "SWARM_UNSUPPORTED_KEY",
              severity: "warning",
              message: `service "${member.name}" of pod "${pod.name}": networks.${network}.${key} cannot be kept; the pod's network settings belong to its controller, so it is dropped`,
              path: servicePath(member.name, "networks", network, key),
              prefer: "key",
              hint: "remove it; members of a pod share one network interface per network",
            });
          }
        }
      }
    } else {
      joinAs("default", member.name, []);
    }
  }
  const out: Record<string, PodNetwork> = {};
  for (const network of [...aliases.keys()].sort()) {
    const entry: PodNetwork = {};
    const list = [...aliases.get(network)!].sort();
    if (list.length) entry.aliases = list;
    const options = driverOpts.get(network);
    if (options?.size) {
      entry.driver_opts = Object.fromEntries([...options.keys()].sort().map((option) => [option, options.get(option)!.value]));
      useFormat(ctx, SWARM_SERVICE_NETWORK_KEYS.get("driver_opts")!);
    }
    setOwn(out, network, entry);
  }
  return out;
}

// ---------------------------------------------------------------- deploy

type Leaf = { path: string[]; value: unknown };

/** The settings of a deploy mapping, one per leaf; labels per label, lists as a whole (as lint compares them). */
function leaves(value: Record<string, unknown>, prefix: string[] = []): Leaf[] {
  const out: Leaf[] = [];
  for (const [key, v] of Object.entries(value)) {
    const path = [...prefix, key];
    if (prefix.length === 0 && key === "labels" && (isMapping(v) || Array.isArray(v))) {
      for (const [label, text] of Object.entries(normalizeLabels(v))) out.push({ path: [...path, label], value: text });
    } else if (isMapping(v)) out.push(...leaves(v, path));
    else out.push({ path, value: v });
  }
  return out;
}

function setLeaf(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    if (!isMapping(getOwn(node, segment))) setOwn(node, segment, {});
    node = node[segment] as Record<string, unknown>;
  }
  setOwn(node, path[path.length - 1]!, plainCopy(value));
}

/**
 * The pod's one `deploy`: its own settings and its members', which agree
 * (lint reports a disagreement). A member's resource limits stay with the member (the controller
 * applies them to the member's own container; on the controller service they
 * would only cap the controller), while its reservations come along so Swarm
 * places the pod where there is room.
 */
export function mergeDeploy(ctx: EmitContext, pod: PodDeclaration, members: readonly Member[]): Record<string, unknown> | undefined {
  const sources: { owner: string; deploy: Record<string, unknown>; path: TreePath; member?: boolean }[] = [];
  if (pod.deploy) {
    const path = [...pod.path, "deploy"];
    sources.push({ owner: `pod "${pod.name}"`, deploy: cleanDeploy(ctx, pod.deploy, path, `pod "${pod.name}"`), path });
  }
  for (const member of members) {
    if (!isMapping(member.service.deploy)) continue;
    const path = servicePath(member.name, "deploy");
    sources.push({ owner: `service "${member.name}"`, deploy: cleanDeploy(ctx, member.service.deploy, path, `service "${member.name}" of pod "${pod.name}"`), path, member: true });
  }
  const merged: Record<string, unknown> = {};
  const set = new Set<string>();
  for (const source of sources) {
    for (const leaf of leaves(source.deploy)) {
      const key = leaf.path.join(".");
      if (source.member && key.startsWith("resources.limits.")) continue;
      // Lint refuses members that disagree (DEPLOY_CONFLICT) before convert runs: the first setting stands.
      if (set.has(key)) continue;
      set.add(key);
      setLeaf(merged, leaf.path, leaf.value);
    }
  }
  return Object.keys(merged).length ? merged : undefined;
}

// ---------------------------------------------------------------- volumes

/** Named volumes the members mount, attached to the controller so Swarm creates them on the node. */
export function hoistVolumes(members: readonly Member[]): Record<string, unknown>[] {
  const names = new Set<string>();
  for (const member of members) {
    for (const mount of normalizeVolumes(member.service.volumes)) {
      if (mount.type === "volume" && mount.source) names.add(mount.source);
    }
  }
  return [...names].sort().map((name) => ({ type: "volume", source: name, target: internalVolumePath(name), volume: { nocopy: true } }));
}

// ---------------------------------------------------------------- configs and secrets

export interface HoistedFiles {
  configs: { source: string; target: string }[];
  secrets: { source: string; target: string }[];
  copies: Record<string, CopySpec[]>;
}

function numericId(ctx: EmitContext, value: string | undefined, path: TreePath, who: string, key: string): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  report(ctx, {
    code: "SWARM_UNSUPPORTED_KEY",
    severity: "warning",
    message: `${who}: ${key} "${value}" is not a numeric id; the copy keeps the file's default owner`,
    path,
    hint: `write the numeric ${key} (for example 1000)`,
  });
  return undefined;
}

/**
 * Each member's configs and secrets: attached to the controller at
 * /run/podlike/<member>/{configs,secrets}/<name> and copied by the controller
 * to the member's target (default /<name> for configs, /run/secrets/<name>
 * for secrets), keeping mode, uid and gid.
 */
export function hoistFiles(ctx: EmitContext, pod: PodDeclaration, members: readonly Member[]): HoistedFiles {
  const out: HoistedFiles = { configs: [], secrets: [], copies: {} };
  for (const member of members) {
    const who = `service "${member.name}" of pod "${pod.name}"`;
    for (const kind of ["configs", "secrets"] as const) {
      const entries = Array.isArray(member.service[kind]) ? (member.service[kind] as unknown[]) : [];
      entries.forEach((entry, index) => {
        const ref = normalizeFileReferences([entry])[0];
        if (!ref) return;
        const internal = kind === "configs" ? internalConfigPath(member.name, ref.source) : internalSecretPath(member.name, ref.source);
        const attached = out[kind];
        if (!attached.some((a) => a.target === internal)) attached.push({ source: ref.source, target: internal });
        const copy: CopySpec = { source: internal, target: defaultTarget(kind, ref.source, ref.target) };
        if (ref.mode !== undefined) copy.mode = ref.mode;
        const uid = numericId(ctx, ref.uid, servicePath(member.name, kind, index, "uid"), who, "uid");
        if (uid !== undefined) copy.uid = uid;
        const gid = numericId(ctx, ref.gid, servicePath(member.name, kind, index, "gid"), who, "gid");
        if (gid !== undefined) copy.gid = gid;
        if (!Object.hasOwn(out.copies, member.name)) setOwn(out.copies, member.name, []);
        out.copies[member.name]!.push(copy);
      });
    }
  }
  out.configs.sort((a, b) => compareText(a.target, b.target));
  out.secrets.sort((a, b) => compareText(a.target, b.target));
  return out;
}

function defaultTarget(kind: "configs" | "secrets", name: string, target: string | undefined): string {
  if (kind === "secrets") {
    if (target === undefined) return `/run/secrets/${name}`;
    return target.startsWith("/") ? target : `/run/secrets/${target}`;
  }
  if (target === undefined) return `/${name}`;
  return target.startsWith("/") ? target : `/${target}`;
}

