import { copyEntrySource, copySources } from "./source-map.js";
import { setOwn } from "./own-keys.js";
import { mergeTagsOf, setMergeTag } from "./yaml-values.js";

/**
 * What aliases and merge keys put into the trees the fast readers build,
 * as the full reader has it: each alias a fresh copy of its anchor's value,
 * a merge key the entries of its mappings.
 */

/**
 * Merge key entries: the entries of the mapping `source` (or of each mapping
 * of the list `source`) that `out` does not have itself, with their
 * positions; each one merged is added to `fromMerge`. False, merging
 * nothing, when a source is not a mapping.
 */
export function mergeInto(out: Record<string, unknown>, fromMerge: Set<string>, source: unknown): boolean {
  const sources = Array.isArray(source) ? source : [source];
  if (!sources.every((item) => typeof item === "object" && item !== null && !Array.isArray(item))) return false;
  for (const item of sources as Record<string, unknown>[]) {
    for (const [k, v] of Object.entries(item)) {
      if (Object.prototype.hasOwnProperty.call(out, k)) continue;
      setOwn(out, k, v);
      fromMerge.add(k);
      copyEntrySource(item, k, out, k);
    }
  }
  return true;
}

/** A fresh copy of an anchored value for one of its aliases, with its positions and merge tags. */
export function cloneAliased(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  let copy: Record<string, unknown> | unknown[];
  if (Array.isArray(value)) copy = value.map(cloneAliased);
  else {
    const object: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(object, k, cloneAliased(v));
    copy = object;
  }
  copySources(value, copy);
  const tags = mergeTagsOf(value);
  if (tags) for (const [k, tag] of tags) setMergeTag(copy, k, tag);
  return copy;
}
