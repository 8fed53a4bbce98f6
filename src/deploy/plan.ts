import { createTwoFilesPatch } from "diff";
import { stringify } from "yaml";
import { CONTENT_HASH_LABEL, STACK_NAMESPACE_LABEL } from "./names.js";
import { canonicalSpec, specsEqual } from "./spec-compare.js";
import type { DesiredFileObject, DesiredService, DesiredStack, EngineSpec, LiveStack } from "./types.js";

export type PlanAction = "create" | "update" | "unchanged" | "remove";
export type ObjectKind = "network" | "config" | "secret" | "service";

export interface PlanStep {
  kind: ObjectKind;
  name: string;
  action: PlanAction;
  /** Services to update: the unified diff of their canonical specs. */
  diff?: string;
  /** Why the step is there when it is not obvious ("no longer declared", "external"). */
  note?: string;
}

export interface ServiceChange {
  desired: DesiredService;
  /** The live service, for updates. */
  live?: LiveStack["services"][number];
}

export interface Plan {
  steps: PlanStep[];
  networksToCreate: DesiredStack["networks"];
  objectsToCreate: DesiredFileObject[];
  servicesToCreate: DesiredService[];
  servicesToUpdate: ServiceChange[];
  servicesToRemove: LiveStack["services"];
  /** The stack's configs and secrets no longer declared: removed once no service uses them. */
  objectsToRetire: { kind: "config" | "secret"; id: string; name: string }[];
  /** External objects (and stack networks named by another owner) that must exist but do not. */
  missing: { kind: ObjectKind; name: string; key: string }[];
  /** Configs and secrets with a fixed `name:` whose content changed: Swarm cannot change them. */
  changedInPlace: { kind: "config" | "secret"; name: string; key: string }[];
  /** Networks that exist but belong to no stack or another one. */
  foreign: { name: string; owner?: string }[];
}

export interface PlanOptions {
  prune: boolean;
}

function specYaml(spec: EngineSpec): string {
  return stringify(spec, { lineWidth: 0 });
}

/** The unified diff of two canonical specs, headed by the service name. */
export function serviceDiff(name: string, live: EngineSpec, desired: EngineSpec): string {
  return createTwoFilesPatch(`${name} (live)`, `${name} (desired)`, specYaml(live), specYaml(desired), undefined, undefined, { context: 3 });
}

/** Compares what should be with what is: create, update, unchanged or remove for every object. */
export function planStack(desired: DesiredStack, live: LiveStack, options: PlanOptions): Plan {
  const plan: Plan = {
    steps: [],
    networksToCreate: [],
    objectsToCreate: [],
    servicesToCreate: [],
    servicesToUpdate: [],
    servicesToRemove: [],
    objectsToRetire: [],
    missing: [],
    changedInPlace: [],
    foreign: [],
  };
  const networksByName = new Map(live.networks.map((n) => [n.name, n]));
  const networkNames = new Map(live.networks.map((n) => [n.id, n.name]));
  const configNames = new Map(live.configs.map((c) => [c.id, c.name]));

  for (const network of desired.networks) {
    const existing = networksByName.get(network.name);
    if (network.external) {
      if (!existing) plan.missing.push({ kind: "network", name: network.name, key: network.key });
      plan.steps.push({ kind: "network", name: network.name, action: "unchanged", note: "external" });
    } else if (existing) {
      const owner = existing.labels[STACK_NAMESPACE_LABEL];
      if (owner !== desired.stack) plan.foreign.push({ name: network.name, owner });
      plan.steps.push({ kind: "network", name: network.name, action: "unchanged" });
    } else {
      plan.networksToCreate.push(network);
      plan.steps.push({ kind: "network", name: network.name, action: "create" });
    }
  }

  for (const kind of ["config", "secret"] as const) {
    const wanted = kind === "config" ? desired.configs : desired.secrets;
    const existing = kind === "config" ? live.configs : live.secrets;
    const byName = new Map(existing.map((o) => [o.name, o]));
    for (const object of wanted) {
      if (object.external) {
        if (!byName.has(object.name)) plan.missing.push({ kind, name: object.name, key: object.key });
        plan.steps.push({ kind, name: object.name, action: "unchanged", note: "external" });
      } else if (byName.has(object.name)) {
        const liveHash = byName.get(object.name)!.labels[CONTENT_HASH_LABEL];
        if (object.hash && liveHash && liveHash !== object.hash) plan.changedInPlace.push({ kind, name: object.name, key: object.key });
        plan.steps.push({ kind, name: object.name, action: "unchanged" });
      } else {
        plan.objectsToCreate.push(object);
        plan.steps.push({ kind, name: object.name, action: "create" });
      }
    }
    const wantedNames = new Set(wanted.map((o) => o.name));
    for (const object of existing) {
      if (object.labels[STACK_NAMESPACE_LABEL] !== desired.stack || wantedNames.has(object.name)) continue;
      plan.objectsToRetire.push({ kind, id: object.id, name: object.name });
      plan.steps.push({ kind, name: object.name, action: "remove", note: "no longer used" });
    }
  }

  const liveByName = new Map(live.services.map((s) => [s.name, s]));
  for (const service of desired.services) {
    const current = liveByName.get(service.name);
    if (!current) {
      plan.servicesToCreate.push(service);
      plan.steps.push({ kind: "service", name: service.name, action: "create" });
      continue;
    }
    const was = canonicalSpec(current.spec, { networkNames, configNames });
    const want = canonicalSpec(service.spec, { networkNames, configNames });
    if (specsEqual(was, want)) {
      plan.steps.push({ kind: "service", name: service.name, action: "unchanged" });
    } else {
      plan.servicesToUpdate.push({ desired: service, live: current });
      plan.steps.push({ kind: "service", name: service.name, action: "update", diff: serviceDiff(service.name, was, want) });
    }
  }
  const declared = new Set(desired.services.map((s) => s.name));
  for (const service of live.services) {
    if (declared.has(service.name)) continue;
    if (options.prune) {
      plan.servicesToRemove.push(service);
      plan.steps.push({ kind: "service", name: service.name, action: "remove", note: "no longer declared" });
    } else {
      plan.steps.push({ kind: "service", name: service.name, action: "unchanged", note: "no longer declared; --prune removes it" });
    }
  }
  return plan;
}
