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

function isPlain(text: string): boolean {
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
  const body = text.replace(/\n+$/, "");
  const trailing = text.length - body.length;
  const chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
  if (/^\s*$/.test(body)) return undefined;
  let out = `|${chomp}\n`;
  for (const line of body.split("\n")) out += line === "" ? "\n" : `${indent}${line}\n`;
  for (let i = 1; i < trailing; i++) out += "\n";
  return out;
}

function keyText(key: string): string {
  return isPlain(key) ? key : quoted(key);
}

/** `value` after a "key:" or "- " that sits at `indent`. */
function writeNested(value: unknown, indent: string, parts: string[], inSequence: boolean): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      parts.push(" []\n");
      return;
    }
    parts.push("\n");
    writeSequence(value, inSequence ? indent : indent + "  ", parts);
  } else if (isMapping(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    if (keys.length === 0) {
      parts.push(" {}\n");
      return;
    }
    parts.push("\n");
    writeMapping(value, keys, indent + "  ", parts);
  } else if (typeof value === "string" && value.includes("\n")) {
    const block = literalBlock(value, indent + "  ");
    parts.push(" ", block ?? `${quoted(value)}\n`);
  } else {
    parts.push(" ", scalarText(value), "\n");
  }
}

function writeMapping(value: Record<string, unknown>, keys: string[], indent: string, parts: string[]): void {
  for (const key of keys) {
    parts.push(indent, keyText(key), ":");
    writeNested(value[key], indent, parts, false);
  }
}

function writeSequence(items: unknown[], indent: string, parts: string[]): void {
  for (const item of items) {
    if (isMapping(item)) {
      const keys = Object.keys(item).filter((k) => item[k] !== undefined);
      if (keys.length === 0) {
        parts.push(indent, "- {}\n");
        continue;
      }
      // the first entry shares the dash's line
      const inner = indent + "  ";
      parts.push(indent, "- ", keyText(keys[0]!), ":");
      writeNested(item[keys[0]!], inner, parts, false);
      writeMapping(item, keys.slice(1), inner, parts);
    } else if (Array.isArray(item)) {
      if (item.length === 0) parts.push(indent, "- []\n");
      else {
        parts.push(indent, "-\n");
        writeSequence(item, indent + "  ", parts);
      }
    } else {
      parts.push(indent, "-");
      writeNested(item, indent + "  ", parts, true);
    }
  }
}

/** A document whose root is a mapping, written in block style. */
export function writeYamlMapping(root: Record<string, unknown>): string {
  const parts: string[] = [];
  writeMapping(root, Object.keys(root).filter((k) => root[k] !== undefined), "", parts);
  return parts.join("");
}

/** Any plain value as a YAML document (a mapping, a sequence or a scalar), mapping keys sorted when asked. */
export function writeYamlValue(value: unknown, options: { sortKeys?: boolean } = {}): string {
  const data = options.sortKeys ? sortDeep(value) : value;
  if (isMapping(data)) return Object.keys(data).length ? writeYamlMapping(data) : "{}\n";
  if (Array.isArray(data)) {
    if (data.length === 0) return "[]\n";
    const parts: string[] = [];
    writeSequence(data, "", parts);
    return parts.join("");
  }
  if (typeof data === "string" && data.includes("\n")) return literalBlock(data, "  ") ?? `${quoted(data)}\n`;
  return `${scalarText(data)}\n`;
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (isMapping(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      // a plain assignment to "__proto__" would change the prototype and lose the key
      Object.defineProperty(out, key, { value: sortDeep(value[key]), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
