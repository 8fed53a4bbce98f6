/**
 * Reads back the YAML that write-yaml.ts writes (block mappings and
 * sequences, plain and double-quoted scalars, literal blocks, `[]` and `{}`),
 * which is what podlike convert puts in the pod.* labels. Anything else a
 * hand-written label may hold (comments, flow collections, anchors, tags,
 * single quotes, folded or multi-line scalars, plain scalars whose type
 * depends on the schema, duplicate or merge keys) gives undefined: the caller
 * then reads the text with the full YAML reader, whose findings and values
 * stay the rule. The controller reads its labels with this alone in the common
 * case, so the full reader need not load into its memory.
 */
import { setOwn } from "../compose/own-keys.js";

class NotWritten extends Error {}

const notWritten = (): never => {
  throw new NotWritten();
};

/** The value of `text`, or undefined when write-yaml.ts would not have written it. */
export function readWrittenYaml(text: string): unknown {
  if (/[\t\r]/.test(text)) return undefined;
  // a label set by hand often lacks the final line break, which changes no value but a literal block's
  if (!text.endsWith("\n")) {
    if (text.includes("|")) return undefined;
    text += "\n";
  }
  const lines = text.slice(0, -1).split("\n");
  try {
    return new Reader(lines).document();
  } catch (error) {
    if (error instanceof NotWritten) return undefined;
    throw error;
  }
}

/** A plain scalar write-yaml.ts writes for a number, a boolean or null. */
function plainValue(text: string): unknown {
  if (text === "null") return null;
  if (text === "true") return true;
  if (text === "false") return false;
  if (text === ".inf") return Infinity;
  if (text === "-.inf") return -Infinity;
  if (text === ".nan") return NaN;
  const number = Number(text);
  if (/^-?[0-9]/.test(text) && String(number) === text) return number;
  return isPlainString(text) ? text : notWritten();
}

// A plain scalar the YAML 1.2 core schema takes for something other than a string (yaml's own patterns), or a merge key.
const CORE_TYPED = /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|<<)$/;
/** A first character that starts something other than a plain scalar. */
const FIRST_INDICATOR = /^[?:,[\]{}#&*!|>'"%@`]|^-(?: |$)|^---|^\.\.\./;
/** Inside: control characters, flow indicators, a comment, a key separator, trailing space. */
const INNER_INDICATOR = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff{}[\],]|\s#|:(?:\s|$)|\s$/;

/** Plain text every YAML 1.2 reader takes for this very string. */
function isPlainString(text: string): boolean {
  if (text === "" || text.startsWith(" ") || CORE_TYPED.test(text)) return false;
  return !FIRST_INDICATOR.test(text) && !INNER_INDICATOR.test(text);
}

function quotedValue(text: string): string {
  // the writer's double quotes are JSON's; any other escape is the full reader's to read
  if (!/^"(?:[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"$/.test(text)) notWritten();
  return JSON.parse(text) as string;
}

/** A scalar written after "key:" or "- " on one line. */
function inlineScalar(text: string): unknown {
  if (text.startsWith('"')) return quotedValue(text);
  if (text === "[]") return [];
  if (text === "{}") return {};
  return plainValue(text);
}

/** Does `line` hold a sequence entry's dash right after `indent` spaces? */
function dashAt(line: string, indent: number): boolean {
  return line.startsWith(" ".repeat(indent)) && line.charAt(indent) === "-" && (line.length === indent + 1 || line.charAt(indent + 1) === " ");
}

class Reader {
  private i = 0;

  constructor(private readonly lines: string[]) {}

  document(): unknown {
    const first = this.lines[0]!;
    let value: unknown;
    if (dashAt(first, 0)) value = this.sequence(0);
    else if (first.startsWith("|")) {
      this.i = 1;
      value = this.literal(first, 2);
    } else if (this.keyOf(first, 0)) value = this.mapping(0);
    else if (this.lines.length === 1) {
      this.i = 1;
      value = inlineScalar(first);
    }
    if (this.i !== this.lines.length) notWritten();
    return value;
  }

  /** The key and what follows its colon, of a mapping entry right after `indent` spaces; undefined for a line that is none. */
  private keyOf(line: string, indent: number): { key: string; rest: string } | undefined {
    if (line.length <= indent || line.charAt(indent) === " " || !line.startsWith(" ".repeat(indent))) return undefined;
    const body = line.slice(indent);
    if (body.startsWith('"')) {
      const end = closingQuote(body);
      if (end < 0 || body.charAt(end + 1) !== ":") return undefined;
      const key = quotedValue(body.slice(0, end + 1));
      const rest = body.slice(end + 2);
      // a quoted "<<" may still be a merge key to the full reader
      if ((rest !== "" && !rest.startsWith(" ")) || key === "<<") return notWritten();
      return { key, rest };
    }
    if (dashAt(body, 0)) return undefined;
    const colon = body.search(/:(?: |$)/);
    if (colon < 0) return undefined;
    const key = body.slice(0, colon);
    return isPlainString(key) ? { key, rest: body.slice(colon + 1) } : notWritten();
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let entry; this.i < this.lines.length && (entry = this.keyOf(this.lines[this.i]!, indent)); ) {
      if (Object.hasOwn(out, entry.key)) notWritten();
      this.i++;
      setOwn(out, entry.key, this.nested(entry.rest, indent, false));
    }
    return out;
  }

  /** What follows "key:" (inSequence false) or "-" (true) on a line whose key or dash is at `indent`. */
  private nested(rest: string, indent: number, inSequence: boolean): unknown {
    if (rest === "") {
      const next = this.lines[this.i] ?? notWritten();
      if (dashAt(next, indent + 2)) return this.sequence(indent + 2);
      if (!inSequence && this.keyOf(next, indent + 2)) return this.mapping(indent + 2);
      return notWritten();
    }
    if (!rest.startsWith(" ") || rest.charAt(1) === " " || rest.endsWith(" ")) return notWritten();
    const text = rest.slice(1);
    // the writer indents a block two past the key, and two past the dash's item
    if (text.startsWith("|")) return this.literal(text, indent + (inSequence ? 4 : 2));
    return inlineScalar(text);
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    const inner = indent + 2;
    while (this.i < this.lines.length && dashAt(this.lines[this.i]!, indent)) {
      const rest = this.lines[this.i]!.slice(indent + 1);
      this.i++;
      const entry = rest.startsWith(" ") ? this.keyOf(" ".repeat(inner) + rest.slice(1), inner) : undefined;
      if (!entry) {
        out.push(this.nested(rest, indent, true));
        continue;
      }
      // a mapping whose first entry shares the dash's line
      const item: Record<string, unknown> = {};
      setOwn(item, entry.key, this.nested(entry.rest, inner, false));
      const others = this.mapping(inner);
      for (const key of Object.keys(others)) {
        if (Object.hasOwn(item, key)) notWritten();
        setOwn(item, key, others[key]);
      }
      out.push(item);
    }
    return out;
  }

  /** A literal block (`|`, `|-`, `|+`) whose lines sit at `indent`. */
  private literal(header: string, indent: number): string {
    const chomp = header.slice(1);
    if (chomp !== "" && chomp !== "-" && chomp !== "+") notWritten();
    const prefix = " ".repeat(indent);
    const body: string[] = [];
    for (let line; this.i < this.lines.length && ((line = this.lines[this.i]!) === "" || line.startsWith(prefix)); this.i++) body.push(line.slice(indent));
    let trailing = 0;
    while (body.length && body[body.length - 1] === "") {
      body.pop();
      trailing++;
    }
    // the writer's first line is never blank nor indented, and only a kept block ends in blank lines
    if (body.length === 0 || body[0] === "" || body[0]!.startsWith(" ")) notWritten();
    const text = body.join("\n");
    if (chomp === "-" && trailing === 0) return text;
    if (chomp === "" && trailing === 0) return text + "\n";
    if (chomp === "+" && trailing > 0) return text + "\n".repeat(trailing + 1);
    return notWritten();
  }
}

/** The index of the quote closing a double-quoted scalar at the start of `text`, or -1. */
function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === "\\") i++;
    else if (c === '"') return i;
  }
  return -1;
}
