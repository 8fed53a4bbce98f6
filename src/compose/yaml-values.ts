/**
 * What both YAML readers share: how a plain scalar resolves (YAML 1.2 core
 * schema, with YAML 1.1 octals as Compose has them), how keys become
 * property names, the `!reset`/`!override` tags, and the limits on nesting
 * and alias expansion.
 */

export const MAX_DEPTH = 400;
/** What one expanded node counts towards the alias budget, besides its string. */
export const NODE_WEIGHT = 64;

/**
 * Aliases may add this much to the file, counted as NODE_WEIGHT per node plus
 * the length of its strings: legitimate files repeat a few anchors some
 * hundred times; a bomb asks for gigabytes from a small file.
 */
export function expansionBudget(text: string): number {
  return 8 * 1024 * 1024 + 4 * text.length;
}

/** Per-entry `!reset` / `!override` tags (Compose 2.24+), read by the merge. */
export const MERGE_TAGS: unique symbol = Symbol("podlike.mergeTags");
export type MergeTag = "reset" | "override";

type Tagged = { [MERGE_TAGS]?: Map<string | number, MergeTag> };

export function mergeTagOf(container: object, key: string | number): MergeTag | undefined {
  return (container as Tagged)[MERGE_TAGS]?.get(key);
}

export function mergeTagsOf(container: object): ReadonlyMap<string | number, MergeTag> | undefined {
  return (container as Tagged)[MERGE_TAGS];
}

/**
 * Whether a `!reset` tag was ever set in this process. Until one is, no value
 * holds one, and the merge need not look for them in a whole file.
 */
let resetTagSet = false;

export function anyResetTagSet(): boolean {
  return resetTagSet;
}

export function setMergeTag(container: object, key: string | number, tag: MergeTag): void {
  if (tag === "reset") resetTagSet = true;
  const holder = container as Tagged;
  if (!holder[MERGE_TAGS]) Object.defineProperty(container, MERGE_TAGS, { value: new Map(), enumerable: false, configurable: true });
  holder[MERGE_TAGS]!.set(key, tag);
}

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
/** First characters of the plain scalars that are not strings in the core schema. */
const NOT_STRING_START = /^[-+.~0-9nNtTfF]/;

/** The value of an untagged plain scalar in the YAML 1.2 core schema, the tests in the order the schema lists them. */
export function resolveCorePlain(source: string): unknown {
  if (source === "") return null;
  if (!NOT_STRING_START.test(source)) return source;
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return source[0] === "t" || source[0] === "T";
  if (INT_OCT.test(source)) return parseInt(source.substring(2), 8);
  if (INT.test(source)) return parseInt(source, 10);
  if (INT_HEX.test(source)) return parseInt(source.substring(2), 16);
  if (FLOAT_NAN.test(source)) return source.slice(-3).toLowerCase() === "nan" ? NaN : source[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(source) || FLOAT.test(source)) return parseFloat(source);
  return source;
}

const YAML11_OCTAL = /^[-+]?0[0-7]+$/;

/**
 * A scalar's value as Compose reads it: plain YAML 1.1 octals stay octal
 * (`mode: 0440`), as Compose's own reader has them.
 */
export function scalarValue(value: unknown, source: string | undefined, plain: boolean): unknown {
  if (typeof value === "number" && plain && typeof source === "string" && YAML11_OCTAL.test(source)) return parseInt(source, 8);
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (typeof value === "symbol") return value.description ?? "";
  return value === undefined ? null : value;
}

export function keyText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "symbol") return value.description ?? "";
  return JSON.stringify(value);
}
