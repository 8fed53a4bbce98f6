import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { sourceAt } from "../../src/compose/source-map.js";
import { parseComposeYamlFully } from "../../src/compose/parse-yaml.js";

/** A reader that may hand a text over (undefined) to the next one. */
export type PartialReader = (text: string, file: string) => Record<string, unknown> | undefined;

/** `read` either hands the text over (false) or reads exactly what the full reader reads, which finds nothing (true). */
export function assertAgreesWithFull(text: string, read: PartialReader): boolean {
  const fast = read(text, "compose.yml");
  if (!fast) return false;
  const full = parseComposeYamlFully(text, "compose.yml");
  assert.deepEqual(full.diagnostics, [], `a reader read a file the full reader finds fault with:\n${text}`);
  assert.deepEqual(describe(fast), describe(full.value), `the readers disagree on:\n${text}`);
  return true;
}

/** Values, positions and merge tags of a read tree, as comparable data. */
export function describe(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return Number.isNaN(value) ? "NaN" : value;
  const byKey = (a: [unknown, unknown], b: [unknown, unknown]) => String(a[0]).localeCompare(String(b[0]));
  const out: Record<string, unknown> = {};
  for (const symbol of Object.getOwnPropertySymbols(value).sort((a, b) => String(a).localeCompare(String(b)))) {
    const held = (value as Record<symbol, unknown>)[symbol];
    if (held instanceof Map) out[String(symbol)] = [...held].sort(byKey);
  }
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  out.entries = keys.map((k) => [k, describe((value as Record<string | number, unknown>)[k]), sourceAt(value, [k], "key"), sourceAt(value, [k], "value")]);
  out.self = sourceAt(value, []);
  return out;
}

/** Every YAML file under `dir`. */
export function fixtureFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return fixtureFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}
