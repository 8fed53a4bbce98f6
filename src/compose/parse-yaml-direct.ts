import { OffsetTable, recordSelfAt, recordSourceAt } from "./source-map.js";
import { MAX_DEPTH, NODE_WEIGHT, expansionBudget, keyText, resolveCorePlain, scalarValue } from "./yaml-values.js";
import { setOwn } from "./own-keys.js";
import { commentsKept, endAfterValue, trailing } from "./yaml-layout.js";
import { cloneAliased, mergeInto } from "./yaml-expand.js";

/**
 * The direct reader: the plain values and positions of the YAML most Compose
 * files are written in, built straight from the text in one pass, with no
 * event stream in between. It reads block mappings and sequences, flow
 * collections written on one line, scalars written on one line (plain,
 * single-quoted, double-quoted without escapes), comments, anchors, aliases
 * and merge keys, and gives exactly what the event reader
 * (parse-yaml-events.ts) gives for them: its ends of nodes (yaml-layout.ts),
 * its copies of aliased values and its alias budget. Anything else (tags,
 * block scalars, scalars or flow collections over several lines, tabs,
 * carriage returns, duplicate keys, a comment after an empty value) makes it
 * return undefined, and the event reader reads the file.
 */

class HandOver extends Error {}

const handOver = (): never => {
  throw new HandOver();
};

/**
 * Characters this reader never reads itself: tabs and carriage returns (their
 * rules differ between the readers), characters YAML forbids or reads as
 * line breaks elsewhere, a byte-order mark, surrogates. Looked for once the
 * text is read, so that a text handed over early does not pay for it.
 */
const OUTSIDE_SUBSET = /[\t\r\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/;
/**
 * The rest of a plain scalar in block context: up to a line break, a `:`
 * followed by a space or a line break, or a `#` after a space.
 */
const BLOCK_PLAIN_REST = /(?:[^:#\n]|:(?=[^ \n])|(?<! )#)*/y;
/**
 * The same in a flow collection, which also ends it at `,[]{}`, and at a `:`
 * followed by one of those too: `[logs:/var/log, http://x:80]` holds two
 * scalars, as in every reader.
 */
const FLOW_PLAIN_REST = /(?:[^:#\n,[\]{}]|:(?=[^ \n,[\]{}])|(?<! )#)*/y;
/** Characters a plain scalar cannot start with (a `-` can when a non-space follows). */
const NOT_PLAIN_START = /[ \n?:,[\]{}#&*!|>'"%@`]/y;

const FLOW_INDICATOR = /^[,[\]{}]$/;

/** An anchor's or alias's name, of the characters every reader takes in one. */
const ANCHOR_NAME = /[A-Za-z0-9_.-]+/y;

/** Past this nesting the event reader reads the file (and reports what is too deep). */
const MAX_DIRECT_DEPTH = Math.min(100, MAX_DEPTH);
/** The full reader refuses implicit keys longer than 1024 characters. */
const MAX_KEY_LENGTH = 1000;

const SPACE = 32;
const LF = 10;
const HASH = 35;
const COLON = 58;
const AMPERSAND = 38;
const STAR = 42;
const DASH = 45;
const COMMA = 44;
const QUOTE = 34;
const APOSTROPHE = 39;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Plain values and positions of `text`, or undefined when the event reader must read it. */
export function readYamlDirect(text: string, file: string): Record<string, unknown> | undefined {
  try {
    const value = new DirectReader(text, file).document();
    return OUTSIDE_SUBSET.test(text) ? undefined : value;
  } catch (error) {
    if (error instanceof HandOver || error instanceof RangeError) return undefined;
    throw error;
  }
}

interface AnchoredNode {
  value: unknown;
  weight: number;
  height: number;
}

class DirectReader {
  private readonly positions: OffsetTable;
  private readonly length: number;
  /** Where reading goes on. */
  private pos = 0;
  /**
   * The last node read: where its text starts and ends, where what follows
   * it starts (as the event reader has them), and whether the comment lines
   * below it can be its own (it is written on one line).
   */
  private start = 0;
  private end = 0;
  private after = 0;
  private attaches = false;
  /** What one expansion of the last node counts towards the alias budget, and how many levels it nests below itself. */
  private weight = 0;
  private height = 0;
  /** Whether the last node was written as nothing. */
  private empty = false;
  /** Whether the last nextContent passed over a comment line. */
  private passedComment = false;
  /** Each anchor's node, by name; undefined while the node is being read (an alias to it is left to the event reader). */
  private readonly anchors = new Map<string, AnchoredNode | undefined>();
  private expanded = 0;
  private readonly budget: number;
  /** The last key read: its text as written (quotes left out), whether it is plain, where it ends. */
  private lastKeySource = "";
  private lastKeyPlain = false;
  private lastKeyEnd = 0;

  constructor(
    private readonly text: string,
    file: string,
  ) {
    this.positions = new OffsetTable(file, text);
    this.length = text.length;
    this.budget = expansionBudget(text);
  }

  document(): Record<string, unknown> {
    const first = this.nextContent(0);
    if (first === this.length || this.indentOf(first) !== 0) handOver();
    const value = this.blockMapping(first, 0, 0);
    if (this.nextContent(this.pos) !== this.length) handOver();
    return value;
  }

  /** The first character after the blank lines, comment lines and indentation from the line start `line`: the text's length when there is none. */
  private nextContent(line: number): number {
    const text = this.text;
    let at = line;
    this.passedComment = false;
    for (;;) {
      let c = text.charCodeAt(at);
      while (c === SPACE) c = text.charCodeAt(++at);
      if (c === HASH) {
        this.passedComment = true;
        at = text.indexOf("\n", at);
        if (at === -1) return this.length;
      } else if (c !== LF) return at < this.length ? at : this.length;
      at++;
    }
  }

  private indentOf(at: number): number {
    return at - (this.text.lastIndexOf("\n", at - 1) + 1);
  }

  private skipSpaces(at: number): number {
    const text = this.text;
    while (text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  /** Whether the character at `at` ends a token in block context: a space, a line break or the end. */
  private isBreakOrSpace(at: number): boolean {
    const c = this.text.charCodeAt(at);
    return c === SPACE || c === LF || at >= this.length;
  }

  /** The end of a line holding nothing more after `at` but spaces and a comment: past its line break. */
  private lineEnd(at: number): number {
    const rest = this.skipSpaces(at);
    const c = this.text.charCodeAt(rest);
    // a comment needs a space before it
    if (!(rest >= this.length || c === LF || (c === HASH && rest > at))) handOver();
    return trailing(this.text, at);
  }

  /** A block mapping whose first key starts at `start`, indented by `indent`. */
  private blockMapping(start: number, indent: number, depth: number): Record<string, unknown> {
    if (depth > MAX_DIRECT_DEPTH) handOver();
    const text = this.text;
    const out: Record<string, unknown> = {};
    let keyStart = start;
    let after: number;
    let attaches: boolean;
    let weight = NODE_WEIGHT;
    let height = 0;
    /** Keys the merge key brought in, which a key written in the mapping may replace. */
    let fromMerge: Set<string> | undefined;
    for (;;) {
      // `---` or `...` at the start of a line ends the document (a directive's `%` cannot start a key)
      if (indent === 0 && (text.startsWith("---", keyStart) || text.startsWith("...", keyStart)) && this.isBreakOrSpace(keyStart + 3)) handOver();
      const colon = this.key(keyStart);
      const keyEnd = this.lastKeyEnd;
      const keySource = this.lastKeySource;
      const key = this.lastKeyPlain ? keyText(resolveCorePlain(keySource)) : keySource;
      const value = this.blockValue(colon + 1, indent, depth, true);
      weight += this.weight;
      if (this.height + 1 > height) height = this.height + 1;
      after = this.after;
      attaches = this.attaches;
      if (this.lastKeyPlain && keySource === "<<") {
        // a second merge key is a duplicate key
        if (fromMerge) handOver();
        fromMerge = new Set();
        if (!mergeInto(out, fromMerge, value)) handOver();
      } else {
        // a key written twice (or two keys with one name, as 1 and "1"): the full reader says what is wrong
        if (Object.hasOwn(out, key) && !fromMerge?.delete(key)) handOver();
        setOwn(out, key, value);
        recordSourceAt(out, key, this.positions, keyStart, keyEnd, this.start, this.end);
      }
      const next = this.nextContent(this.pos);
      if (next === this.length) break;
      const column = this.indentOf(next);
      if (column < indent) break;
      if (column > indent) handOver();
      // a sequence at the mapping's indentation is the value of its last key only
      if (text.charCodeAt(next) === DASH && this.isBreakOrSpace(next + 1)) handOver();
      keyStart = next;
    }
    this.blockEnd(out, start, indent, after, attaches);
    this.weight = weight;
    this.height = height;
    return out;
  }

  /** Records where a block collection starting at `start` ends, its last entry's value ending at `after`. */
  private blockEnd(out: object, start: number, indent: number, after: number, attaches: boolean): void {
    const end = endAfterValue(this.text, after, indent, attaches);
    recordSelfAt(out, this.positions, start, end);
    this.start = start;
    this.end = end;
    this.after = commentsKept(this.text, end, indent);
    this.attaches = false;
    this.empty = false;
  }

  /**
   * Reads the key starting at `at` (plain or quoted, on its line): sets
   * lastKeySource, lastKeyPlain and lastKeyEnd, and returns where its colon is.
   */
  private key(at: number): number {
    const text = this.text;
    const c = text.charCodeAt(at);
    let keyEnd: number;
    if (c === QUOTE || c === APOSTROPHE) {
      this.lastKeySource = this.quoted(at);
      this.lastKeyPlain = false;
      keyEnd = this.end;
    } else {
      keyEnd = this.plainEnd(at, BLOCK_PLAIN_REST);
      this.lastKeySource = text.slice(at, keyEnd);
      this.lastKeyPlain = true;
    }
    if (keyEnd - at > MAX_KEY_LENGTH) handOver();
    this.lastKeyEnd = keyEnd;
    const colon = this.skipSpaces(keyEnd);
    if (text.charCodeAt(colon) !== COLON || !this.isBreakOrSpace(colon + 1)) handOver();
    return colon;
  }

  /**
   * The value of a mapping entry (`inMapping`, its colon just before
   * `cursor`) or of a sequence item (its dash just before `cursor`), in a
   * collection indented by `indent`.
   */
  private blockValue(cursor: number, indent: number, depth: number, inMapping: boolean): unknown {
    const text = this.text;
    const at = this.skipSpaces(cursor);
    const c = text.charCodeAt(at);
    this.empty = false;
    if (c === STAR) {
      const value = this.alias(at, depth + 1, false);
      this.pos = this.after = this.lineEnd(this.end);
      this.attaches = true;
      return value;
    }
    if (c !== AMPERSAND) return this.unanchoredBlockValue(at, indent, depth, inMapping, false);
    const name = this.anchorName(at, false);
    const node = this.skipSpaces(at + 1 + name.length);
    const first = text.charCodeAt(node);
    // `&a *b`, `&a &b`: left to the event reader
    if (first === STAR || first === AMPERSAND) handOver();
    this.anchors.set(name, undefined);
    const value = this.unanchoredBlockValue(node, indent, depth, inMapping, true);
    this.anchors.set(name, { value, weight: this.weight, height: this.height });
    return value;
  }

  /** blockValue of the node written at `at`, after its anchor when it has one. */
  private unanchoredBlockValue(at: number, indent: number, depth: number, inMapping: boolean, anchored: boolean): unknown {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (at >= this.length || c === LF || c === HASH) {
      // the value is on the lines below, or nothing
      const eol = text.indexOf("\n", at);
      const lineAfter = eol === -1 ? this.length : eol + 1;
      const next = this.nextContent(lineAfter);
      if (next < this.length) {
        const column = this.indentOf(next);
        const isItem = text.charCodeAt(next) === DASH && this.isBreakOrSpace(next + 1);
        if (column > indent || (inMapping && column === indent && isItem)) {
          return isItem ? this.blockSequence(next, column, depth + 1) : this.blockMapping(next, column, depth + 1);
        }
      }
      // written as nothing: a null where the colon's or dash's spaces end; the event reader leaves one a comment follows to the full reader
      let following = at;
      while (text.charCodeAt(following) === SPACE || text.charCodeAt(following) === LF) following++;
      if (text.charCodeAt(following) === HASH) handOver();
      this.start = this.end = this.after = at;
      this.attaches = false;
      this.weight = NODE_WEIGHT;
      this.height = 0;
      this.empty = true;
      this.pos = lineAfter;
      return null;
    }
    // `key: - a` is an error, `- - a` a sequence in an item's line: both left to the event reader
    if (c === DASH && this.isBreakOrSpace(at + 1)) handOver();
    if (!inMapping && this.startsKey(at)) {
      // `- &a k: v`: whether the anchor is the mapping's or its first key's is left to the event reader
      if (anchored) handOver();
      return this.blockMapping(at, this.indentOf(at), depth + 1);
    }
    let value: unknown;
    if (c === OPEN_BRACKET || c === OPEN_BRACE) value = c === OPEN_BRACKET ? this.flowSequence(at, depth + 1) : this.flowMapping(at, depth + 1);
    else if (c === QUOTE || c === APOSTROPHE) value = this.scalarRead(this.quoted(at));
    else {
      const end = this.plainEnd(at, BLOCK_PLAIN_REST);
      // what stopped it must be the end of the line or a comment, not a `: ` (lineEnd makes sure)
      if (end === at) handOver();
      const source = text.slice(at, end);
      value = this.scalarRead(scalarValue(resolveCorePlain(source), source, true));
      this.start = at;
      this.end = end;
    }
    this.pos = this.after = this.lineEnd(this.end);
    this.attaches = true;
    return value;
  }

  /** Counts a scalar just read towards the alias budget, as the event reader does: its node and its string. */
  private scalarRead(value: unknown): unknown {
    this.weight = NODE_WEIGHT + (typeof value === "string" ? value.length : 0);
    this.height = 0;
    return value;
  }

  /**
   * The name of the anchor or alias whose `&` or `*` is at `at`: it must end
   * at a space, a line break or the end (in a flow collection, an alias's
   * also at `,]}`), as every reader has it.
   */
  private anchorName(at: number, flow: boolean): string {
    ANCHOR_NAME.lastIndex = at + 1;
    if (!ANCHOR_NAME.test(this.text)) handOver();
    const end = ANCHOR_NAME.lastIndex;
    const c = this.text.charCodeAt(end);
    const isAlias = this.text.charCodeAt(at) === STAR;
    if (!(this.isBreakOrSpace(end) || (flow && isAlias && (c === COMMA || c === CLOSE_BRACKET || c === CLOSE_BRACE)))) handOver();
    return this.text.slice(at + 1, end);
  }

  /**
   * A copy of the value of the anchor the alias at `at` names, at depth
   * `depth`; start and end are set to the alias. An unknown anchor, one whose
   * node holds the alias, too deep a copy or an alias budget spent are left
   * to the event reader, which leaves them to the full reader's findings.
   */
  private alias(at: number, depth: number, flow: boolean): unknown {
    const name = this.anchorName(at, flow);
    const target = this.anchors.get(name);
    if (!target || depth + 1 + target.height > MAX_DIRECT_DEPTH) return handOver();
    this.expanded += target.weight;
    if (this.expanded > this.budget) handOver();
    this.start = at;
    this.end = at + 1 + name.length;
    this.weight = NODE_WEIGHT + target.weight;
    this.height = 1 + target.height;
    return cloneAliased(target.value);
  }

  /** Whether a key (a plain or quoted scalar on its line, then `: `) starts at `at`. */
  private startsKey(at: number): boolean {
    const text = this.text;
    const c = text.charCodeAt(at);
    let end: number;
    if (c === QUOTE || c === APOSTROPHE) {
      this.quoted(at);
      end = this.end;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) return false;
    else end = this.plainEnd(at, BLOCK_PLAIN_REST);
    const colon = this.skipSpaces(end);
    return text.charCodeAt(colon) === COLON && this.isBreakOrSpace(colon + 1);
  }

  /** A block sequence whose first dash is at `start`, indented by `indent`. */
  private blockSequence(start: number, indent: number, depth: number): unknown[] {
    if (depth > MAX_DIRECT_DEPTH) handOver();
    const text = this.text;
    const out: unknown[] = [];
    let dash = start;
    let after: number;
    let attaches: boolean;
    let weight = NODE_WEIGHT;
    let height = 0;
    let afterComment = false;
    for (;;) {
      const item = this.blockValue(dash + 1, indent, depth, false);
      // the full reader ends the sequence elsewhere when a comment comes before such an item
      if (afterComment && this.empty) handOver();
      out.push(item);
      recordSourceAt(out, out.length - 1, this.positions, this.start, this.end);
      weight += this.weight;
      if (this.height + 1 > height) height = this.height + 1;
      after = this.after;
      attaches = this.attaches;
      const next = this.nextContent(this.pos);
      if (next === this.length) break;
      const column = this.indentOf(next);
      if (column > indent) handOver();
      if (column < indent || text.charCodeAt(next) !== DASH || !this.isBreakOrSpace(next + 1)) break;
      afterComment = this.passedComment;
      dash = next;
    }
    this.blockEnd(out, start, indent, after, attaches);
    this.weight = weight;
    this.height = height;
    return out;
  }

  /** Where a plain scalar starting at `at` ends (its trailing spaces left out), read with `rest`. */
  private plainEnd(at: number, rest: RegExp): number {
    const text = this.text;
    NOT_PLAIN_START.lastIndex = at;
    if (at >= this.length || NOT_PLAIN_START.test(text)) handOver();
    // a plain scalar starts with `-` only when a character that could continue it follows
    if (text.charCodeAt(at) === DASH && (this.isBreakOrSpace(at + 1) || FLOW_INDICATOR.test(text[at + 1]!))) handOver();
    rest.lastIndex = at;
    rest.test(text);
    let end = rest.lastIndex;
    while (text.charCodeAt(end - 1) === SPACE) end--;
    return end;
  }

  /** A quoted scalar on one line starting at `at`: its value; start and end are set to its quotes. */
  private quoted(at: number): string {
    const text = this.text;
    const quote = text.charCodeAt(at);
    let close = at;
    let value: string;
    if (quote === QUOTE) {
      close = text.indexOf('"', at + 1);
      if (close === -1) handOver();
      value = text.slice(at + 1, close);
      if (value.includes("\\") || value.includes("\n")) handOver();
    } else {
      let doubled = false;
      for (;;) {
        close = text.indexOf("'", close + 1);
        if (close === -1) handOver();
        if (text.charCodeAt(close + 1) !== APOSTROPHE) break;
        doubled = true;
        close++;
      }
      value = text.slice(at + 1, close);
      if (value.includes("\n")) handOver();
      if (doubled) value = value.replaceAll("''", "'");
    }
    this.start = at;
    this.end = close + 1;
    return value;
  }

  /** A node inside a flow collection starting at `at`; start and end are set to its text. */
  private flowNode(at: number, depth: number): unknown {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (c === STAR) return this.alias(at, depth + 1, true);
    if (c !== AMPERSAND) return this.unanchoredFlowNode(at, depth);
    const name = this.anchorName(at, true);
    const node = this.flowToken(at + 1 + name.length);
    const first = text.charCodeAt(node);
    // an anchored empty node, `&a *b`, `&a &b`: left to the event reader
    if (first === COMMA || first === CLOSE_BRACKET || first === CLOSE_BRACE || first === STAR || first === AMPERSAND) handOver();
    this.anchors.set(name, undefined);
    const value = this.unanchoredFlowNode(node, depth);
    this.anchors.set(name, { value, weight: this.weight, height: this.height });
    return value;
  }

  private unanchoredFlowNode(at: number, depth: number): unknown {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (c === OPEN_BRACKET) return this.flowSequence(at, depth + 1);
    if (c === OPEN_BRACE) return this.flowMapping(at, depth + 1);
    if (c === QUOTE || c === APOSTROPHE) return this.scalarRead(this.quoted(at));
    const end = this.plainEnd(at, FLOW_PLAIN_REST);
    // a value ends at the collection's next comma or closing bracket; a `:` makes a pair, a line break a scalar over lines
    const stop = text.charCodeAt(this.skipSpaces(end));
    if (end === at || !(stop === COMMA || stop === CLOSE_BRACKET || stop === CLOSE_BRACE)) handOver();
    const source = text.slice(at, end);
    this.start = at;
    this.end = end;
    return this.scalarRead(scalarValue(resolveCorePlain(source), source, true));
  }

  /** The next token in a flow collection on its line, past spaces. */
  private flowToken(at: number): number {
    at = this.skipSpaces(at);
    if (at >= this.length || this.text.charCodeAt(at) === LF) handOver();
    return at;
  }

  private flowSequence(start: number, depth: number): unknown[] {
    if (depth > MAX_DIRECT_DEPTH) handOver();
    const text = this.text;
    const out: unknown[] = [];
    let weight = NODE_WEIGHT;
    let height = 0;
    let at = this.flowToken(start + 1);
    if (text.charCodeAt(at) !== CLOSE_BRACKET) {
      for (;;) {
        const item = this.flowNode(at, depth);
        out.push(item);
        recordSourceAt(out, out.length - 1, this.positions, this.start, this.end);
        weight += this.weight;
        if (this.height + 1 > height) height = this.height + 1;
        at = this.flowToken(this.end);
        if (text.charCodeAt(at) === CLOSE_BRACKET) break;
        at = this.pastComma(at, CLOSE_BRACKET);
      }
    }
    return this.closedFlow(out, start, at, weight, height);
  }

  private flowMapping(start: number, depth: number): Record<string, unknown> {
    if (depth > MAX_DIRECT_DEPTH) handOver();
    const text = this.text;
    const out: Record<string, unknown> = {};
    let weight = NODE_WEIGHT;
    let height = 0;
    let at = this.flowToken(start + 1);
    if (text.charCodeAt(at) !== CLOSE_BRACE) {
      for (;;) {
        const c = text.charCodeAt(at);
        let key: string;
        if (c === QUOTE || c === APOSTROPHE) key = this.quoted(at);
        else {
          const end = this.plainEnd(at, FLOW_PLAIN_REST);
          if (end === at) handOver();
          const source = text.slice(at, end);
          if (source === "<<") handOver();
          key = keyText(resolveCorePlain(source));
          this.start = at;
          this.end = end;
        }
        const keyStart = this.start;
        const keyEnd = this.end;
        if (keyEnd - keyStart > MAX_KEY_LENGTH || Object.hasOwn(out, key)) handOver();
        const colon = this.skipSpaces(keyEnd);
        // `{a: b}` only: an entry without a value, or a colon without a space, is left to the event reader
        if (text.charCodeAt(colon) !== COLON || text.charCodeAt(colon + 1) !== SPACE) handOver();
        const valueAt = this.flowToken(colon + 1);
        const v = text.charCodeAt(valueAt);
        if (v === COMMA || v === CLOSE_BRACE) handOver();
        const value = this.flowNode(valueAt, depth);
        setOwn(out, key, value);
        recordSourceAt(out, key, this.positions, keyStart, keyEnd, this.start, this.end);
        weight += this.weight;
        if (this.height + 1 > height) height = this.height + 1;
        at = this.flowToken(this.end);
        if (text.charCodeAt(at) === CLOSE_BRACE) break;
        at = this.pastComma(at, CLOSE_BRACE);
      }
    }
    return this.closedFlow(out, start, at, weight, height);
  }

  /**
   * The next entry of a flow collection, past the comma at `at`. Anything but a comma is handed over,
   * and so is a comma right before the collection's `close`: the readers differ on what is left out.
   */
  private pastComma(at: number, close: number): number {
    if (this.text.charCodeAt(at) !== COMMA) handOver();
    const next = this.flowToken(at + 1);
    if (this.text.charCodeAt(next) === close) handOver();
    return next;
  }

  /** A flow collection read from `start` to its closing character at `close`, with its position and size. */
  private closedFlow<T extends object>(out: T, start: number, close: number, weight: number, height: number): T {
    recordSelfAt(out, this.positions, start, close + 1);
    this.start = start;
    this.end = close + 1;
    this.weight = weight;
    this.height = height;
    return out;
  }
}
