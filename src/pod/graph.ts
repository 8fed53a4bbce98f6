/**
 * Dependency order for pod members: one graph answers start order (lint's
 * cycle check, the controller's start waves) and stop order (the reverse).
 */

export interface DependencyGraph {
  /** node → the nodes it depends on (which must start first). */
  readonly edges: ReadonlyMap<string, readonly string[]>;
}

export function createGraph(nodes: Iterable<string>, dependsOn: (node: string) => Iterable<string>): DependencyGraph {
  const names = [...nodes];
  const known = new Set(names);
  const edges = new Map<string, string[]>();
  for (const name of names) edges.set(name, [...dependsOn(name)].filter((dep) => known.has(dep)));
  return { edges };
}

/** Every cycle found, each as the path that closes it: ["a", "b", "a"]. Empty when the graph is acyclic. */
export function findCycles(graph: DependencyGraph): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const seen = new Set<string>();

  const visit = (node: string): void => {
    state.set(node, "visiting");
    stack.push(node);
    for (const dep of graph.edges.get(node) ?? []) {
      const s = state.get(dep);
      if (s === "visiting") {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        const key = [...cycle.slice(0, -1)].sort().join("\0");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (s === undefined) {
        visit(dep);
      }
    }
    stack.pop();
    state.set(node, "done");
  };

  for (const node of graph.edges.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

/**
 * Start order in waves: every node of a wave depends only on nodes of earlier
 * waves, so a wave can start in parallel. Throws when the graph has a cycle
 * (lint reports cycles before anything runs).
 */
export function startWaves(graph: DependencyGraph): string[][] {
  const remaining = new Map<string, Set<string>>();
  for (const [node, deps] of graph.edges) remaining.set(node, new Set(deps));
  const waves: string[][] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.keys()].filter((node) => remaining.get(node)!.size === 0).sort();
    if (ready.length === 0) {
      const cycle = findCycles(graph)[0] ?? [];
      throw new Error(`dependency cycle detected: ${cycle.join(" -> ")}`);
    }
    for (const node of ready) remaining.delete(node);
    for (const deps of remaining.values()) for (const node of ready) deps.delete(node);
    waves.push(ready);
  }
  return waves;
}

/** A flat start order (dependencies first). */
export function startOrder(graph: DependencyGraph): string[] {
  return startWaves(graph).flat();
}

/** Stop order: the reverse of start order, so dependents stop before what they depend on. */
export function stopOrder(graph: DependencyGraph): string[] {
  return startOrder(graph).reverse();
}
