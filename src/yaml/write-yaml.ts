import { isMapping } from "./mapping.js";
/**
 * A small YAML writer for plain data (mappings, sequences, strings, numbers,
 * booleans, null) in block style, fast on large stacks. Strings are written
 * plain only when every YAML 1.1 and 1.2 reader takes them for the same
 * string; otherwise double-quoted, or as a literal block when they span lines.
 * Keys are written in the order given.
 */

const YAML11_SPECIAL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|=|<<)$/;
/**
 * Text a YAML 1.1 or 1.2 reader (or Go's, which strips "_" and reads 0x, 0o,
 * 0b and leading-0 octal) might take for a number, a date or a time: it
 * starts like a number and holds nothing but digits, signs, dots, colons and
 * the letters of hex, exponents, radix prefixes and times. "10s" and "512m"
 * stay plain.
 */
const NUMBER_START = /^[-+]?\.?\d/;
const NUMBER_BODY = /^[0-9a-fA-F_+\-.:oOxXtTzZ ]+$/;
const INFINITY_OR_NAN = /^[-+]?\.(?:inf|nan)$/i;
/** Exponent forms some readers take for floats even without a digit first ("e1"). */
const EXPONENT = /^[-+]?[0-9_.]*[eE][-+]?[0-9_]+$/;
/** YAML 1.1's float pattern, which also matches "." and "._". */
const YAML11_FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_.]*(?:[eE][-+]?[0-9]+)?$/;
const UNPRINTABLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\r]/;
/** A first character that starts something other than a plain scalar. */
const FIRST_INDICATOR = /^[?:,[\]{}#&*!|>'"%@`]/;
/** Inside: control characters, flow indicators, a comment, a key separator. */
const INNER_INDICATOR = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff{}[\],]|\s#|:(?:\s|$)/;

/**
 * Most keys and values are a word, a name or a path (a letter, then letters,
 * digits and `_./-`): only the special words and exponents among them are
 * not plain. Told by their characters, without a regular expression.
 */
function commonWordIsPlain(text: string): boolean | undefined {
  const first = text.charCodeAt(0) | 0x20;
  if (first < 0x61 /* a */ || first > 0x7a /* z */) return undefined;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const letter = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
    if (!letter && !(c >= 0x30 && c <= 0x39) && c !== 0x5f /* _ */ && c !== 0x2e /* . */ && c !== 0x2f /* / */ && c !== 0x2d /* - */) return undefined;
  }
  // the special words are at most five characters; an exponent ("e1", "E-5") starts with its e
  if (text.length <= 5 && YAML11_SPECIAL.test(text)) return false;
  return !(first === 0x65 /* e */ && EXPONENT.test(text));
}

/**
 * What isPlain said of the strings met so far: a stack repeats the same keys
 * and many values (image names, paths, modes) in every service and label.
 */
const plainSeen = new Map<string, boolean>();
const PLAIN_SEEN_MAX = 1 << 14;

function isPlain(text: string): boolean {
  let plain = plainSeen.get(text);
  if (plain === undefined) {
    plain = commonWordIsPlain(text) ?? isOtherPlain(text);
    if (plainSeen.size < PLAIN_SEEN_MAX) plainSeen.set(text, plain);
  }
  return plain;
}

function isOtherPlain(text: string): boolean {
  if (text === "" || text.trim() !== text) return false;
  if (YAML11_SPECIAL.test(text) || INFINITY_OR_NAN.test(text) || EXPONENT.test(text) || YAML11_FLOAT.test(text)) return false;
  if (NUMBER_START.test(text) && NUMBER_BODY.test(text)) return false;
  if (FIRST_INDICATOR.test(text) || /^-(?:\s|$)/.test(text) || text.startsWith("---") || text.startsWith("...")) return false;
  return !INNER_INDICATOR.test(text);
}

function quoted(text: string): string {
  // JSON's escapes are all valid in a YAML double-quoted scalar
  return JSON.stringify(text).replace(/[\x7f-\x9f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (Number.isFinite(value)) return String(value);
    return Number.isNaN(value) ? ".nan" : value > 0 ? ".inf" : "-.inf";
  }
  const text = String(value);
  return isPlain(text) ? text : quoted(text);
}

/** A multi-line string as a literal block (`|`, `|-`, `|+`), or undefined when it cannot be one. */
function literalBlock(text: string, indent: string): string | undefined {
  if (!text.includes("\n") || UNPRINTABLE.test(text) || /^[ \t]/.test(text) || text.startsWith("\n")) return undefined;
  let bodyEnd = text.length;
  while (text.charCodeAt(bodyEnd - 1) === 10) bodyEnd--;
  const body = text.slice(0, bodyEnd);
  const trailing = text.length - bodyEnd;
  const chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
  if (/^\s*$/.test(body)) return undefined;
  // every line indented but the empty ones; the first is never empty
  return `|${chomp}\n${indent}${body.replace(LINE_WITH_TEXT, `\n${indent}`)}\n${trailing > 1 ? "\n".repeat(trailing - 1) : ""}`;
}

/** The line break before a line that is not empty. */
const LINE_WITH_TEXT = /\n(?=[^\n])/g;

function keyText(key: string): string {
  return isPlain(key) ? key : quoted(key);
}

/** How a document is written: keys sorted, and "$" doubled in strings (not keys), as docker stack deploy reads them. */
export interface WriteOptions {
  sortKeys?: boolean;
  doubleDollars?: boolean;
}

/** The keys to write, in the order to write them: sorting here spares a sorted copy of the whole document. */
function keysOf(value: Record<string, unknown>, options: WriteOptions): string[] {
  const all = Object.keys(value);
  let keys = all;
  for (let i = 0; i < all.length; i++) {
    if (value[all[i]!] === undefined) {
      keys = all.filter((k) => value[k] !== undefined);
      break;
    }
  }
  return options.sortKeys && keys.length > 1 ? keys.sort() : keys;
}

/** A string value and its line break: a literal block indented by `blockIndent` when it spans lines, else one scalar. */
function stringLines(text: string, blockIndent: string): string {
  if (text.includes("\n")) return literalBlock(text, blockIndent) ?? `${quoted(text)}\n`;
  return `${isPlain(text) ? text : quoted(text)}\n`;
}

function stringOf(text: string, options: WriteOptions): string {
  return options.doubleDollars && text.includes("$") ? text.replaceAll("$", "$$$$") : text;
}

/** `value` after a "key:" or "- " that sits at `indent`. */
function writeNested(value: unknown, indent: string, parts: string[], inSequence: boolean, options: WriteOptions): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      parts.push(" []\n");
      return;
    }
    parts.push("\n");
    writeSequence(value, inSequence ? indent : indent + "  ", parts, options);
  } else if (isMapping(value)) {
    const keys = keysOf(value, options);
    if (keys.length === 0) {
      parts.push(" {}\n");
      return;
    }
    parts.push("\n");
    writeMapping(value, keys, indent + "  ", parts, options);
  } else if (typeof value === "string") {
    parts.push(" ", stringLines(stringOf(value, options), indent + "  "));
  } else {
    parts.push(" ", scalarText(value), "\n");
  }
}

function writeMapping(value: Record<string, unknown>, keys: string[], indent: string, parts: string[], options: WriteOptions): void {
  for (const key of keys) {
    parts.push(indent, keyText(key), ":");
    writeNested(value[key], indent, parts, false, options);
  }
}

function writeSequence(items: unknown[], indent: string, parts: string[], options: WriteOptions): void {
  for (const item of items) {
    if (isMapping(item)) {
      const keys = keysOf(item, options);
      if (keys.length === 0) {
        parts.push(indent, "- {}\n");
        continue;
      }
      // the first entry shares the dash's line
      const inner = indent + "  ";
      parts.push(indent, "- ", keyText(keys[0]!), ":");
      writeNested(item[keys[0]!], inner, parts, false, options);
      writeMapping(item, keys.slice(1), inner, parts, options);
    } else if (Array.isArray(item)) {
      if (item.length === 0) parts.push(indent, "- []\n");
      else {
        parts.push(indent, "-\n");
        writeSequence(item, indent + "  ", parts, options);
      }
    } else {
      parts.push(indent, "-");
      writeNested(item, indent + "  ", parts, true, options);
    }
  }
}

/** A document whose root is a mapping, written in block style; the root's keys in the order given. */
export function writeYamlMapping(root: Record<string, unknown>, options: WriteOptions = {}): string {
  const parts: string[] = [];
  writeMapping(root, Object.keys(root).filter((k) => root[k] !== undefined), "", parts, options);
  return parts.join("");
}

/** Any plain value as a YAML document (a mapping, a sequence or a scalar), mapping keys sorted when asked. */
export function writeYamlValue(value: unknown, options: WriteOptions = {}): string {
  if (isMapping(value)) {
    if (Object.keys(value).length === 0) return "{}\n";
    const parts: string[] = [];
    writeMapping(value, keysOf(value, options), "", parts, options);
    return parts.join("");
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]\n";
    const parts: string[] = [];
    writeSequence(value, "", parts, options);
    return parts.join("");
  }
  if (typeof value === "string") return stringLines(stringOf(value, options), "  ");
  return `${scalarText(value)}\n`;
}
