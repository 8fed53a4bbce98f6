import type { Diagnostic, TreePath } from "../diagnostics/index.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { normalizeDependsOn } from "../compose/normalize.js";
import { createGraph, findCycles } from "../pod/graph.js";
import { podOfService } from "../pod/group.js";
import { finding, hasService, isMapping, quote, servicesOf, type LintContext, type Rule } from "./context.js";
import { serviceReferencesOf } from "./service-references.js";

/** Where `service` names `dependency` in its depends_on (a list item or a mapping key). */
function dependencyPath(ctx: LintContext, service: string, dependency: string): TreePath {
  const dependsOn = (servicesOf(ctx)[service] as Record<string, unknown> | undefined)?.depends_on;
  const base = ["services", service, "depends_on"];
  if (Array.isArray(dependsOn)) {
    const index = dependsOn.indexOf(dependency);
    return index >= 0 ? [...base, index] : base;
  }
  return [...base, dependency];
}

function dependenciesOf(ctx: LintContext, service: string) {
  const definition = servicesOf(ctx)[service];
  return isMapping(definition) ? normalizeDependsOn(definition.depends_on) : {};
}

/** One edge of the start order: `service` starts after `dependency`, because of what is written at `path`. */
interface StartEdge {
  path: TreePath;
  /** How the user wrote it, when it is not depends_on. */
  via?: string;
}

/**
 * What `service` waits for: its depends_on, and, as docker compose adds
 * them (compose-go loader/normalize.go), every service it names in links,
 * volumes_from or a `service:` namespace.
 */
function startEdgesOf(ctx: LintContext, service: string): Map<string, StartEdge> {
  const edges = new Map<string, StartEdge>();
  for (const dependency of Object.keys(dependenciesOf(ctx, service))) edges.set(dependency, { path: dependencyPath(ctx, service, dependency) });
  const definition = servicesOf(ctx)[service];
  if (!isMapping(definition)) return edges;
  for (const reference of serviceReferencesOf(service, definition)) {
    if (!edges.has(reference.name)) edges.set(reference.name, { path: reference.path, via: reference.via });
  }
  return edges;
}

/** The start order must not loop, through depends_on or the references docker compose turns into dependencies: nothing could start first. */
export const dependencyCycle: Rule = (ctx) => {
  const names = Object.keys(servicesOf(ctx));
  const edges = new Map(names.map((name) => [name, startEdgesOf(ctx, name)]));
  const graph = createGraph(names, (name) => edges.get(name)!.keys());
  return findCycles(graph).map((cycle) => {
    const links = cycle.slice(0, -1).map((service, i) => ({ service, edge: edges.get(service)!.get(cycle[i + 1]!)! }));
    const implicit = links.filter((link) => link.edge.via !== undefined).map((link) => `${link.edge.via} in ${quote(link.service)}`);
    return finding(
      ctx,
      "DEPENDENCY_CYCLE",
      "error",
      `dependency cycle detected: ${cycle.join(" -> ")}${implicit.length ? ` (through ${implicit.join(", ")})` : ""}`,
      links[0]!.edge.path,
      implicit.length
        ? "remove one of these references (depends_on, links, volumes_from or a service: namespace) so that one service can start first"
        : "remove one of these depends_on entries so that one service can start first",
      links[0]!.edge.via === undefined ? "key" : "value",
    );
  });
};

/** depends_on names an existing service (unless it is marked required: false). */
export const unknownDependency: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  const names = Object.keys(servicesOf(ctx));
  for (const service of names) {
    for (const [dependency, spec] of Object.entries(dependenciesOf(ctx, service))) {
      if (hasService(ctx, dependency) || !spec.required) continue;
      const suggestion = didYouMean(dependency, names);
      out.push(
        finding(
          ctx,
          "UNKNOWN_DEPENDENCY",
          "error",
          `service ${quote(service)} depends on undefined service ${quote(dependency)}${suggestion ? ` (did you mean ${quote(suggestion)}?)` : ""}`,
          dependencyPath(ctx, service, dependency),
          suggestion ? `rename it to ${quote(suggestion)}` : `define service ${quote(dependency)}, or remove it from depends_on`,
          "key",
        ),
      );
    }
  }
  return out;
};

/** Swarm orders nothing between services: depends_on that leaves or enters a pod is dropped by convert. */
export const crossPodDependency: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  const owner = podOfService(ctx.pods);
  for (const service of Object.keys(servicesOf(ctx))) {
    const from = owner.get(service);
    for (const dependency of Object.keys(dependenciesOf(ctx, service))) {
      if (!hasService(ctx, dependency)) continue;
      const to = owner.get(dependency);
      if (from === to) continue;
      const side = from
        ? `service ${quote(service)} in pod ${quote(from.name)} depends on ${quote(dependency)}, ${to ? `which is in pod ${quote(to.name)}` : "which is outside the pod"}`
        : `service ${quote(service)} depends on ${quote(dependency)}, which is in pod ${quote(to!.name)}`;
      out.push(
        finding(
          ctx,
          "CROSS_POD_DEPENDENCY",
          "warning",
          `${side}; Swarm has no start order between services, so convert drops this dependency`,
          dependencyPath(ctx, service, dependency),
          from && to === undefined
            ? `let ${quote(service)} wait for ${quote(dependency)} itself (retry on connect), or add ${quote(dependency)} to pod ${quote(from.name)}`
            : `let ${quote(service)} wait for ${quote(dependency)} itself (retry on connect), or put both in the same pod`,
          "key",
        ),
      );
    }
  }
  return out;
};
