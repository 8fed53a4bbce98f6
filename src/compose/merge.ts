import type { TreePath } from "../diagnostics/diagnostic.js";
import { normalizePorts, normalizeVolumes } from "./normalize.js";
import { anyResetTagSet, mergeTagOf, mergeTagsOf } from "./yaml-values.js";
import { copyEntrySource, copySelfSource, sourceOfSelf } from "./source-map.js";
import { isMapping, type Mapping } from "../yaml/mapping.js";
import { setOwn } from "./own-keys.js";

/**
 * Merges Compose files the way `docker compose -f a -f b` does: mappings
 * recursively, sequences appended without duplicates, and the special cases
 * below keyed by path pattern ("*" matches any one segment). The inputs are
 * not changed; every entry of the result keeps the position it was written
 * at (an entry replaced by a later file takes the later position).
 */

type Merger = (base: unknown, override: unknown, path: TreePath) => unknown;

/** A copy of `value` with positions kept and `!reset` entries dropped. */
export function copyValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    copySelfSource(value, out);
    value.forEach((item, i) => {
      if (mergeTagOf(value, i) === "reset") return;
      copyEntrySource(value, i, out, out.length);
      out.push(copyValue(item));
    });
    return out;
  }
  if (isMapping(value)) {
    const out: Mapping = {};
    copySelfSource(value, out);
    for (const [k, v] of Object.entries(value)) {
      if (mergeTagOf(value, k) === "reset") continue;
      setOwn(out, k, copyValue(v));
      copyEntrySource(value, k, out, k);
    }
    return out;
  }
  return value;
}

// ---------------------------------------------------------------- path rules

function matches(pattern: readonly string[], path: TreePath): boolean {
  if (pattern.length !== path.length) return false;
  return pattern.every((segment, i) => segment === "*" || segment === path[i]);
}

function pattern(text: string): string[] {
  return text.split(".");
}

const replace: Merger = (_base, override) => copyValue(override);

/** Scalars and forms the user may write as a string or a list. */
function asList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === "string" || typeof value === "number") return [value];
  return undefined;
}

function keyedUnion(keyOf: (item: unknown) => string, laterWins: boolean): Merger {
  return (base, override, path) => {
    const b = asList(base);
    const o = asList(override);
    if (!b || !o) return defaultMerge(base, override, path);
    const out: unknown[] = [];
    if (Array.isArray(base)) copySelfSource(base, out);
    else if (Array.isArray(override)) copySelfSource(override, out);
    const index = new Map<string, number>();
    const add = (list: unknown, items: unknown[], i: number) => {
      const item = items[i];
      const key = keyOf(item);
      const existing = index.get(key);
      if (existing !== undefined) {
        if (!laterWins) return;
        out[existing] = copyValue(item);
        if (Array.isArray(list)) copyEntrySource(list, i, out, existing);
        return;
      }
      index.set(key, out.length);
      if (Array.isArray(list)) copyEntrySource(list, i, out, out.length);
      out.push(copyValue(item));
    };
    b.forEach((_, i) => add(base, b, i));
    o.forEach((_, i) => {
      if (Array.isArray(override) && mergeTagOf(override, i) === "reset") return;
      add(override, o, i);
    });
    return out;
  };
}

const byValue = (item: unknown): string => (typeof item === "object" && item !== null ? JSON.stringify(item) : `${typeof item}:${String(item)}`);
const byScalarText = (item: unknown): string => (typeof item === "object" && item !== null ? JSON.stringify(item) : String(item));

function portKey(item: unknown): string {
  const ports = normalizePorts([item]);
  if (!ports.length) return byValue(item);
  return ports.map((p) => `${p.host_ip ?? ""}|${p.published ?? ""}|${p.target}|${p.protocol}`).join(",");
}

function volumeKey(item: unknown): string {
  const mount = normalizeVolumes([item])[0];
  return mount ? mount.target : byValue(item);
}

function fileReferenceKey(defaultDir: string): (item: unknown) => string {
  return (item) => {
    if (typeof item === "string") return `${defaultDir}${item}`;
    if (isMapping(item)) {
      if (typeof item.target === "string" && item.target !== "") return item.target.startsWith("/") ? item.target : `${defaultDir}${item.target}`;
      if (typeof item.source === "string") return `${defaultDir}${item.source}`;
    }
    return byValue(item);
  };
}

function envFileKey(item: unknown): string {
  if (typeof item === "string") return item;
  if (isMapping(item) && typeof item.path === "string") return item.path;
  return byValue(item);
}

// -------- key=value collections written as a list or a mapping

interface Entry {
  key: string;
  /** The value as a mapping would hold it (null: no value). */
  value: unknown;
  from: object;
  index: string | number;
}

function entriesOf(value: unknown, separators: RegExp): Entry[] | undefined {
  if (Array.isArray(value)) {
    const out: Entry[] = [];
    value.forEach((item, index) => {
      if (typeof item !== "string" && typeof item !== "number" && typeof item !== "boolean") return;
      const text = String(item);
      const m = separators.exec(text);
      const key = m ? text.slice(0, m.index) : text;
      out.push({ key, value: m ? text.slice(m.index + 1) : null, from: value, index });
    });
    return out;
  }
  if (isMapping(value)) {
    return Object.entries(value).map(([key, v]) => ({ key, value: v, from: value, index: key }));
  }
  return undefined;
}

/** environment, labels, sysctls, build.args...: merged by key; the result takes the later file's form. */
function byKey(separators: RegExp, joiner = "="): Merger {
  return (base, override, path) => {
    const b = entriesOf(base, separators);
    const o = entriesOf(override, separators);
    if (!b || !o) return defaultMerge(base, override, path);
    const merged = new Map<string, Entry>();
    for (const entry of b) merged.set(entry.key, entry);
    for (const entry of o) {
      if (mergeTagOf(entry.from, entry.index) === "reset") {
        merged.delete(entry.key);
        continue;
      }
      merged.delete(entry.key); // the later definition moves to its own place
      merged.set(entry.key, entry);
    }
    if (Array.isArray(override)) {
      const out: unknown[] = [];
      copySelfSource(override, out);
      for (const entry of merged.values()) {
        copyEntrySource(entry.from, entry.index, out, out.length);
        if (Array.isArray(entry.from)) out.push((entry.from as unknown[])[entry.index as number]);
        else out.push(entry.value === null || entry.value === undefined ? entry.key : `${entry.key}${joiner}${String(entry.value)}`);
      }
      return out;
    }
    const out: Mapping = {};
    copySelfSource(override as object, out);
    for (const entry of merged.values()) {
      setOwn(out, entry.key, copyValue(entry.value));
      copyEntrySource(entry.from, entry.index, out, entry.key);
    }
    return out;
  };
}

/** A list of names, or a mapping name → settings: two lists stay a list, otherwise a mapping. */
function namesOrMapping(listItem: (name: string) => unknown): Merger {
  return (base, override, path) => {
    if (Array.isArray(base) && Array.isArray(override)) return keyedUnion(byScalarText, false)(base, override, path);
    const toMapping = (value: unknown): unknown => {
      if (!Array.isArray(value)) return value;
      const out: Mapping = {};
      copySelfSource(value, out);
      value.forEach((name, i) => {
        if (typeof name !== "string") return;
        setOwn(out, name, listItem(name));
        copyEntrySource(value, i, out, name);
      });
      return out;
    };
    return defaultMerge(toMapping(base), toMapping(override), path);
  };
}

/** `build: ./dir` is `build: {context: ./dir}`. */
const mergeBuild: Merger = (base, override, path) => {
  if (typeof base === "string" && isMapping(override)) return defaultMerge({ context: base }, override, path);
  if (isMapping(base) && typeof override === "string") {
    const out = defaultMerge(base, {}, path) as Mapping;
    out.context = override;
    return out;
  }
  return defaultMerge(base, override, path);
};

const RULES: [string[], Merger][] = [
  [pattern("services.*.command"), replace],
  [pattern("services.*.entrypoint"), replace],
  [pattern("services.*.healthcheck.test"), replace],
  [pattern("services.*.ports"), keyedUnion(portKey, false)],
  [pattern("services.*.expose"), keyedUnion(byScalarText, false)],
  [pattern("services.*.volumes"), keyedUnion(volumeKey, true)],
  [pattern("services.*.secrets"), keyedUnion(fileReferenceKey("/run/secrets/"), true)],
  [pattern("services.*.configs"), keyedUnion(fileReferenceKey("/"), true)],
  [pattern("services.*.environment"), byKey(/=/)],
  [pattern("services.*.labels"), byKey(/=/)],
  [pattern("services.*.annotations"), byKey(/=/)],
  [pattern("services.*.sysctls"), byKey(/=/)],
  [pattern("services.*.extra_hosts"), byKey(/[=:]/, ":")],
  [pattern("services.*.build.args"), byKey(/=/)],
  [pattern("services.*.build.labels"), byKey(/=/)],
  [pattern("services.*.deploy.labels"), byKey(/=/)],
  [pattern("services.*.build"), mergeBuild],
  [pattern("services.*.dns"), keyedUnion(byScalarText, false)],
  [pattern("services.*.dns_search"), keyedUnion(byScalarText, false)],
  [pattern("services.*.tmpfs"), keyedUnion(byScalarText, false)],
  [pattern("services.*.env_file"), keyedUnion(envFileKey, true)],
  [pattern("services.*.networks"), namesOrMapping(() => null)],
  [pattern("services.*.depends_on"), namesOrMapping(() => ({ condition: "service_started" }))],
];

function ruleFor(path: TreePath): Merger | undefined {
  for (const [p, merger] of RULES) if (matches(p, path)) return merger;
  return undefined;
}

// ---------------------------------------------------------------- the walk

function defaultMerge(base: unknown, override: unknown, path: TreePath): unknown {
  if (isMapping(base) && isMapping(override)) {
    const out: Mapping = {};
    copySelfSource(base, out);
    for (const [k, v] of Object.entries(base)) {
      setOwn(out, k, copyValue(v));
      copyEntrySource(base, k, out, k);
    }
    for (const [k, v] of Object.entries(override)) {
      const tag = mergeTagOf(override, k);
      if (tag === "reset") {
        delete out[k];
        continue;
      }
      const has = Object.prototype.hasOwnProperty.call(base, k);
      if (!has || tag === "override") {
        setOwn(out, k, copyValue(v));
        copyEntrySource(override, k, out, k);
        continue;
      }
      if (v === null || v === undefined) continue; // an empty value in a later file keeps the earlier one
      const baseValue = base[k];
      const merged = mergeValue(baseValue, v, [...path, k]);
      setOwn(out, k, merged);
      // a merged mapping stays where it was first written; a replaced value moves to the later file
      if (!(isMapping(baseValue) && isMapping(v))) copyEntrySource(override, k, out, k);
    }
    if (!sourceOfSelf(out)) copySelfSource(override, out);
    return out;
  }
  if (Array.isArray(base) && Array.isArray(override)) return keyedUnion(byValue, false)(base, override, path);
  return copyValue(override);
}

function mergeValue(base: unknown, override: unknown, path: TreePath): unknown {
  const rule = ruleFor(path);
  return rule ? rule(base, override, path) : defaultMerge(base, override, path);
}

/** `base` overridden by `override` (two whole Compose files, or {} and a file). */
export function mergeComposeFiles(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  return mergeValue(base, override, []) as Record<string, unknown>;
}

/**
 * The first file as `mergeComposeFiles({}, file)` has it: a copy only when
 * `!reset` entries must go, for on a large file the copy costs more than
 * reading it.
 */
export function firstComposeFile(file: Record<string, unknown>): Record<string, unknown> {
  return anyResetTagSet() && hasReset(file) ? mergeComposeFiles({}, file) : file;
}

function hasReset(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const tags = mergeTagsOf(value);
  if (tags) for (const tag of tags.values()) if (tag === "reset") return true;
  if (Array.isArray(value)) return value.some(hasReset);
  for (const key of Object.keys(value)) if (hasReset((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** One service definition over another (used by `extends`), with the same rules. `name` places it for the path rules. */
export function mergeServiceDefinitions(base: Record<string, unknown>, override: Record<string, unknown>, name: string): Record<string, unknown> {
  return mergeResourceDefinitions("services", name, base, override);
}

/** One definition of `section.name` (a service, volume, network, config or secret) over another, with the same rules. */
export function mergeResourceDefinitions(section: string, name: string, base: unknown, override: unknown): Record<string, unknown> {
  return mergeValue(base, override, [section, name]) as Record<string, unknown>;
}
