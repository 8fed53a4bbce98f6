import type { Diagnostic, TreePath } from "../diagnostics/index.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { normalizeDependsOn } from "../compose/normalize.js";
import { createGraph, findCycles } from "../pod/graph.js";
import { podOfService } from "../pod/group.js";
import { finding, hasService, isMapping, quote, servicesOf, type LintContext, type Rule } from "./context.js";

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

/** depends_on must not loop: nothing could start first. */
export const dependencyCycle: Rule = (ctx) => {
  const names = Object.keys(servicesOf(ctx));
  const graph = createGraph(names, (name) => Object.keys(dependenciesOf(ctx, name)));
  return findCycles(graph).map((cycle) =>
    finding(
      ctx,
      "DEPENDENCY_CYCLE",
      "error",
      `dependency cycle detected: ${cycle.join(" -> ")}`,
      dependencyPath(ctx, cycle[0]!, cycle[1]!),
      `remove one of these depends_on entries so that one service can start first`,
      "key",
    ),
  );
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
