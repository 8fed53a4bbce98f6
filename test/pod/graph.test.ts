import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createGraph, findCycles, startWaves, startOrder, stopOrder } from "../../src/pod/graph.js";

const graphOf = (deps: Record<string, string[]>) => createGraph(Object.keys(deps), (n) => deps[n] ?? []);

test("independent members start in one wave, dependents after", () => {
  const g = graphOf({ app: [], cache: ["app"], logs: [], probe: ["cache", "app"] });
  assert.deepEqual(startWaves(g), [["app", "logs"], ["cache"], ["probe"]]);
  assert.deepEqual(stopOrder(g), ["probe", "cache", "logs", "app"]);
});

test("a cycle is reported as the path that closes it", () => {
  const g = graphOf({ a: ["b"], b: ["c"], c: ["a"], d: [] });
  assert.deepEqual(findCycles(g), [["a", "b", "c", "a"]]);
  assert.throws(() => startWaves(g), /dependency cycle detected: a -> b -> c -> a/);
});

test("dependencies on names outside the graph are ignored", () => {
  const g = graphOf({ a: ["db"] });
  assert.deepEqual(startOrder(g), ["a"]);
});

test("property: start order respects every depends_on edge of an acyclic graph", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }).chain((n) =>
      fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 30 }).map((pairs) => ({ n, pairs }))), ({ n, pairs }) => {
      // only edges from a higher to a lower index, so the graph is acyclic
      const deps: Record<string, string[]> = {};
      for (let i = 0; i < n; i++) deps[`s${i}`] = [];
      for (const [a, b] of pairs) if (a > b) deps[`s${a}`]!.push(`s${b}`);
      const order = startOrder(graphOf(deps));
      assert.equal(order.length, n);
      for (const [node, ds] of Object.entries(deps)) for (const d of ds) assert.ok(order.indexOf(d) < order.indexOf(node));
    }),
  );
});
