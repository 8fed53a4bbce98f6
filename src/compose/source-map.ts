import type { SourceRef, TreePath } from "../diagnostics/diagnostic.js";
import { setOwn } from "./own-keys.js";

/**
 * Positions travel with the plain objects they describe: every mapping and
 * sequence made from the user's YAML carries, under a symbol, the position of
 * each of its keys (or items). Merging, interpolation and `extends` copy the
 * record along with the value, so a finding made late in the pipeline still
 * points at the user's own text.
 */
const SOURCES: unique symbol = Symbol("podlike.sources");

interface SourceRecord {
  /** Position of the container itself (its first key or item). */
  self?: SourceRef;
  /** Position of each entry's key (mappings) or item (sequences). */
  keys: Map<string | number, SourceRef>;
  /** Position of each entry's value, where it differs from the key. */
  values: Map<string | number, SourceRef>;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === "object" && value !== null;
}

function recordOf(container: object, create: boolean): SourceRecord | undefined {
  const holder = container as { [SOURCES]?: SourceRecord };
  let record = holder[SOURCES];
  if (!record && create) {
    record = { keys: new Map(), values: new Map() };
    Object.defineProperty(container, SOURCES, { value: record, enumerable: false, writable: true, configurable: true });
  }
  return record;
}

export function recordSelf(container: object, ref: SourceRef): void {
  recordOf(container, true)!.self = ref;
}

/** Remembers where `container[key]` was written: its key and (optionally) its value. */
export function recordSource(container: object, key: string | number, keyRef: SourceRef, valueRef?: SourceRef): void {
  const record = recordOf(container, true)!;
  record.keys.set(key, keyRef);
  if (valueRef) record.values.set(key, valueRef);
}

/** Position of `container[key]`: its value when known, else its key. */
export function sourceOfEntry(container: unknown, key: string | number, prefer: "value" | "key" = "value"): SourceRef | undefined {
  if (!isContainer(container)) return undefined;
  const record = recordOf(container, false);
  if (!record) return undefined;
  if (prefer === "value") return record.values.get(key) ?? record.keys.get(key);
  return record.keys.get(key) ?? record.values.get(key);
}

export function sourceOfSelf(container: unknown): SourceRef | undefined {
  if (!isContainer(container)) return undefined;
  return recordOf(container, false)?.self;
}

/**
 * The position of the value at `path`, or of its nearest ancestor that has one.
 * With prefer "key", the key of the last segment is preferred (for "this key
 * should not be here" findings).
 */
export function sourceAt(root: unknown, path: TreePath, prefer: "value" | "key" = "value"): SourceRef | undefined {
  let best: SourceRef | undefined = sourceOfSelf(root);
  let node: unknown = root;
  for (let i = 0; i < path.length; i++) {
    if (!isContainer(node)) break;
    const segment = path[i]!;
    const last = i === path.length - 1;
    const here = sourceOfEntry(node, segment, last ? prefer : "key");
    if (here) best = here;
    node = Object.hasOwn(node, segment) ? (node as Record<string | number, unknown>)[segment] : undefined;
  }
  return best;
}

/** Copies every recorded position of `from` onto `to` (same keys), without overwriting what `to` knows. */
export function copySources(from: unknown, to: unknown): void {
  if (!isContainer(from) || !isContainer(to)) return;
  const source = recordOf(from, false);
  if (!source) return;
  const target = recordOf(to, true)!;
  if (!target.self && source.self) target.self = source.self;
  for (const [k, v] of source.keys) if (!target.keys.has(k)) target.keys.set(k, v);
  for (const [k, v] of source.values) if (!target.values.has(k)) target.values.set(k, v);
}

/** Moves the position of entry `fromKey` of `from` to entry `toKey` of `to`. */
export function copyEntrySource(from: unknown, fromKey: string | number, to: object, toKey: string | number): void {
  if (!isContainer(from)) return;
  const record = recordOf(from, false);
  if (!record) return;
  const keyRef = record.keys.get(fromKey);
  const valueRef = record.values.get(fromKey);
  if (keyRef || valueRef) recordSource(to, toKey, (keyRef ?? valueRef)!, valueRef);
}

/** A shallow copy of `from` without `key`, keeping the positions of what stays. */
export function withoutKey(from: Record<string, unknown>, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(from)) {
    if (k === key) continue;
    setOwn(out, k, v);
    copyEntrySource(from, k, out, k);
  }
  const self = sourceOfSelf(from);
  if (self) recordSelf(out, self);
  return out;
}

/** A deep copy of plain data that keeps every recorded position. */
export function cloneWithSources<T>(value: T): T {
  if (Array.isArray(value)) {
    const copy = value.map((item) => cloneWithSources(item));
    copySources(value, copy);
    return copy as T;
  }
  if (isContainer(value)) {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(copy, k, cloneWithSources(v));
    copySources(value, copy);
    return copy as T;
  }
  return value;
}
