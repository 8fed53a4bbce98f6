import { EVENT_ID, SCALAR_STYLE, CHOMPING_MODE, getScalarValue } from "js-yaml";
import type { ScalarEvent } from "js-yaml";
import { OffsetTable, recordSelfAt, recordSourceAt } from "./source-map.js";
import { DEFAULT_PART_SIZE, NoEvents, partEvents, wholeEvents, type EventSource } from "./yaml-event-source.js";
import { MAX_DEPTH, NODE_WEIGHT, expansionBudget, keyText, resolveCorePlain, scalarValue, setMergeTag } from "./yaml-values.js";
import { cloneAliased, mergeInto } from "./yaml-expand.js";
import { setOwn } from "./own-keys.js";
import { readYamlDirect } from "./parse-yaml-direct.js";
import { commentsKept, endAfterValue, trailing } from "./yaml-layout.js";
import type { MergeTag } from "./yaml-values.js";

/**
 * The fast reader of well-formed Compose YAML: one pass over js-yaml's event
 * stream (offsets into the text, no syntax tree) builds the plain values and
 * their positions. It gives the same values and positions as the full reader
 * (parse-yaml.ts), which it hands over to, by returning undefined, whenever
 * the file needs a finding (syntax errors, duplicate keys, alias limits,
 * nesting, not a mapping) or uses YAML this reader does not map one to one
 * (other tags, complex keys, directives, several documents): the findings and
 * their wording stay the full reader's.
 */

/** Why the fast reader handed over; never shown, the full reader says what is wrong. */
class HandOver extends Error {}

const handOver = (): never => {
  throw new HandOver();
};

interface Built {
  value: unknown;
  /** Where the node's text starts and ends, as the full reader's positions have it. */
  start: number;
  end: number;
  /** Past the node's trailing spaces, comment and line break: where a block collection holding it as its last entry ends. */
  after: number;
  /** What one expansion of this node counts towards the alias budget. */
  weight: number;
  /** How many levels the node nests below itself, aliases expanded. */
  height: number;
  /** Written on one line (a scalar, alias or flow collection): the comment lines indented below it are its own. */
  attaches?: boolean;
  mergeTag?: MergeTag;
}

interface Anchored {
  built: Built | undefined;
}

/**
 * Plain values and positions of `text`, or undefined when the full reader
 * must read it. The direct reader (parse-yaml-direct.ts) reads the YAML most
 * files are written in without the event stream; what it leaves is read here.
 */
export function readYamlFast(text: string, file: string): Record<string, unknown> | undefined {
  return readYamlDirect(text, file) ?? readYamlEvents(text, file);
}

/** readYamlFast without the direct reader: every file through the event stream. */
export function readYamlEvents(text: string, file: string): Record<string, unknown> | undefined {
  return readYamlInParts(text, file) ?? readWhole(text, file);
}

/**
 * readYamlFast over a large file's services parsed a part at a time, each
 * about `partSize` characters (yaml-event-source.ts); undefined when the file
 * is not read so, or the full reader must read it.
 */
export function readYamlInParts(text: string, file: string, partSize = DEFAULT_PART_SIZE): Record<string, unknown> | undefined {
  return read(text, file, () => partEvents(text, partSize));
}

function readWhole(text: string, file: string): Record<string, unknown> | undefined {
  return read(text, file, () => wholeEvents(text));
}

function read(text: string, file: string, events: () => EventSource | undefined): Record<string, unknown> | undefined {
  // a carriage return on its own ends a line for one parser and not for the other; a tab in a
  // line's indentation (blank lines too) is an error for one and a space for the other
  if (LONE_CR.test(text) || TAB_IN_INDENTATION.test(text)) return undefined;
  try {
    const source = events();
    return source && new EventReader(text, file, source).document();
  } catch (error) {
    if (error instanceof HandOver || error instanceof NoEvents || error instanceof RangeError) return undefined;
    throw error;
  }
}

const LONE_CR = /\r(?!\n)/;
const TAB_IN_INDENTATION = /^ *\t/m;
const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;

class EventReader {
  private readonly positions: OffsetTable;
  private readonly anchors = new Map<string, Anchored>();
  private expanded = 0;
  private readonly budget: number;

  constructor(
    private readonly text: string,
    file: string,
    private readonly events: EventSource,
  ) {
    this.positions = new OffsetTable(file, text);
    this.budget = expansionBudget(text);
  }

  document(): Record<string, unknown> {
    const { events, text } = this;
    if (events.done()) handOver();
    const doc = events.next();
    if (doc.type !== EVENT_ID.DOCUMENT || doc.directives.length > 0 || doc.explicitEnd) handOver();
    const root = events.peek();
    if (root.type !== EVENT_ID.MAPPING) return handOver();
    // before the mapping only blank lines, comments and a `---` (js-yaml passes over a stray `...` the full reader reports)
    if (!/^(?:\s|#[^\n]*|---(?=\s))*$/.test(text.slice(0, root.start))) handOver();
    const built = this.node(0, 0);
    // exactly one document: its closing POP ends the stream
    if (events.next().type !== EVENT_ID.POP || !events.done()) handOver();
    return built.value as Record<string, unknown>;
  }

  /** The offset past spaces and tabs from `at`. */
  private skipSpaces(at: number): number {
    const text = this.text;
    let c = text.charCodeAt(at);
    while (c === SPACE || c === TAB) c = text.charCodeAt(++at);
    return at;
  }

  /**
   * Whether the scalar of `event` whose text starts at `start`, or its tag
   * or anchor, begins a line below a comment line (with only blank lines and
   * comments between): the full reader reads such a scalar below a comment
   * not indented past its key (`#note` at the start of the line) as a key
   * written over several lines, an error, where js-yaml reads it as the value.
   */
  private belowCommentAtLineStart(event: ScalarEvent, start: number): boolean {
    let first = start;
    if (event.tagStart !== -1 && event.tagStart < first) first = event.tagStart;
    if (event.anchorStart !== -1 && event.anchorStart - 1 < first) first = event.anchorStart - 1;
    return this.startsLineBelowComment(start) || (first !== start && this.startsLineBelowComment(first));
  }

  private startsLineBelowComment(start: number): boolean {
    const text = this.text;
    let line = text.lastIndexOf("\n", start - 1) + 1;
    if (this.skipSpaces(line) !== start) return false;
    while (line > 0) {
      line = text.lastIndexOf("\n", line - 2) + 1;
      const c = text.charCodeAt(this.skipSpaces(line));
      if (c === HASH) return true;
      if (c !== LF && c !== CR) return false;
    }
    return false;
  }

  private indentOf(start: number): number {
    return start - (this.text.lastIndexOf("\n", start - 1) + 1);
  }

  /** The offset of the next indicator `char` from `at`, over spaces, line breaks and comments. */
  private nextIndicator(at: number, char: number): number {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(at);
      if (c === SPACE || c === TAB || c === LF || c === CR || c === 44 /* , */) at++;
      else if (c === HASH) {
        const eol = text.indexOf("\n", at);
        if (eol === -1) handOver();
        at = eol + 1;
      } else if (c === char) return at;
      else return handOver();
    }
  }

  private mergeTagAt(event: { tagStart: number; tagEnd: number; anchorEnd: number }): MergeTag | undefined {
    // the full reader wants white space after a tag or an anchor (`&m{k: v}` is an error there)
    const propsEnd = Math.max(event.tagEnd, event.anchorEnd);
    if (propsEnd !== -1 && propsEnd < this.text.length) {
      const c = this.text.charCodeAt(propsEnd);
      if (c !== SPACE && c !== TAB && c !== LF && c !== CR) handOver();
    }
    if (event.tagStart === -1) return undefined;
    const tag = this.text.slice(event.tagStart, event.tagEnd);
    if (tag === "!reset") return "reset";
    if (tag === "!override") return "override";
    return handOver();
  }

  /**
   * Builds the node whose event is next. `cursor` is where its text may start
   * at the earliest (past the `:` of its key or the end of the item before),
   * for a node written as nothing, whose position is its indicator's.
   */
  private node(depth: number, cursor: number): Built {
    if (depth > MAX_DEPTH) handOver();
    const event = this.events.next();
    switch (event.type) {
      case EVENT_ID.SCALAR:
        return this.scalar(event, cursor);
      case EVENT_ID.ALIAS: {
        const name = this.text.slice(event.anchorStart, event.anchorEnd);
        const anchored = this.anchors.get(name);
        // an unknown anchor, or one whose node holds this alias
        if (!anchored?.built) return handOver();
        const target = anchored.built;
        if (depth + 1 + target.height > MAX_DEPTH) handOver();
        this.expanded += target.weight;
        if (this.expanded > this.budget) handOver();
        const start = event.anchorStart - 1;
        return { value: cloneAliased(target.value), start, end: event.anchorEnd, after: trailing(this.text, event.anchorEnd), weight: NODE_WEIGHT + target.weight, height: 1 + target.height, attaches: true };
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const mergeTag = this.mergeTagAt(event);
        let anchored: Anchored | undefined;
        if (event.anchorStart !== -1) {
          anchored = { built: undefined };
          this.anchors.set(this.text.slice(event.anchorStart, event.anchorEnd), anchored);
        }
        const built = event.type === EVENT_ID.MAPPING ? this.mapping(event.start, event.style === 2, depth) : this.sequence(event.start, event.style === 2, depth);
        if (mergeTag) built.mergeTag = mergeTag;
        if (anchored) anchored.built = built;
        return built;
      }
      default:
        return handOver();
    }
  }

  private scalar(event: ScalarEvent, cursor: number): Built {
    const text = this.text;
    const mergeTag = this.mergeTagAt(event);
    let anchored: Anchored | undefined;
    if (event.anchorStart !== -1) {
      anchored = { built: undefined };
      this.anchors.set(text.slice(event.anchorStart, event.anchorEnd), anchored);
    }
    let built: Built;
    if (mergeTag) {
      // the full reader knows no such tag: the scalar is the string written, "" when nothing is
      const value = event.valueStart === -1 ? "" : getScalarValue(text, event);
      built = event.valueStart === -1 ? this.emptyScalar(event, cursor) : this.writtenScalar(event, value);
      built.value = value;
      built.weight = NODE_WEIGHT + value.length;
    } else if (event.valueStart === -1) built = this.emptyScalar(event, cursor);
    else {
      const source = getScalarValue(text, event);
      built = this.writtenScalar(event, event.style === SCALAR_STYLE.PLAIN ? scalarValue(resolveCorePlain(source), source, true) : source);
    }
    if (mergeTag) built.mergeTag = mergeTag;
    if (anchored) anchored.built = built;
    return built;
  }

  /** A scalar written as nothing: a null at its indicator (the key's colon, the item's dash, its tag or anchor). */
  private emptyScalar(event: ScalarEvent, cursor: number): Built {
    const text = this.text;
    const propsEnd = Math.max(event.tagEnd, event.anchorEnd);
    const at = this.skipSpaces(propsEnd === -1 ? cursor : propsEnd);
    // the full reader's end of a collection that closes on a comment after such a node runs on to the next entry
    let next = at;
    for (let c = text.charCodeAt(next); c === SPACE || c === TAB || c === LF || c === CR; c = text.charCodeAt(++next));
    if (text.charCodeAt(next) === HASH) handOver();
    return { value: null, start: at, end: at, after: at, weight: NODE_WEIGHT, height: 0 };
  }

  private writtenScalar(event: ScalarEvent, value: unknown): Built {
    let start = event.valueStart;
    let end = event.valueEnd;
    let after: number;
    const isBlock = event.style === SCALAR_STYLE.LITERAL_BLOCK || event.style === SCALAR_STYLE.FOLDED_BLOCK;
    if (isBlock) {
      start = this.blockIndicator(event);
      end = event.chomping === CHOMPING_MODE.KEEP ? end : this.lastContentLineEnd(event);
      after = end;
    } else {
      if (event.style !== SCALAR_STYLE.PLAIN) {
        start--;
        end++;
      }
      after = trailing(this.text, end);
    }
    return { value, start, end, after, weight: NODE_WEIGHT + (typeof value === "string" ? value.length : 0), height: 0, attaches: !isBlock };
  }
  /** Where the `|` or `>` of a block scalar is: on the line above its content. */
  private blockIndicator(event: ScalarEvent): number {
    const text = this.text;
    const headerEnd = event.valueStart - 1;
    if (text.charCodeAt(headerEnd) !== LF) handOver();
    const lineStart = text.lastIndexOf("\n", headerEnd - 1) + 1;
    const from = Math.max(lineStart, event.tagEnd, event.anchorEnd);
    const header = /[|>][-+0-9]*[ \t]*(?:#[^\n]*)?\r?$/.exec(text.slice(from, headerEnd));
    if (!header) return handOver();
    return from + header.index;
  }

  /** The end of a block scalar's last line that is not blank, with its line break. */
  private lastContentLineEnd(event: ScalarEvent): number {
    const text = this.text;
    for (let at = event.valueEnd - 1; at >= event.valueStart; at--) {
      const c = text.charCodeAt(at);
      if (c === SPACE || c === TAB || c === LF || c === CR) continue;
      const eol = text.indexOf("\n", at);
      return eol === -1 ? text.length : eol + 1;
    }
    return handOver();
  }

  private mapping(start: number, flow: boolean, depth: number): Built {
    const events = this.events;
    const text = this.text;
    const out: Record<string, unknown> = {};
    /** Keys the merge key brought in, which a key written in the mapping may replace. */
    let fromMerge: Set<string> | undefined;
    let weight = NODE_WEIGHT;
    let height = 0;
    let last = start + (flow ? 1 : 0);
    let after = last;
    let lastAttaches = false;
    for (;;) {
      const keyEvent = events.next();
      if (keyEvent.type === EVENT_ID.POP) break;
      if (keyEvent.type !== EVENT_ID.SCALAR || keyEvent.tagStart !== -1 || keyEvent.anchorStart !== -1 || keyEvent.valueStart === -1) return handOver();
      const isPlain = keyEvent.style === SCALAR_STYLE.PLAIN;
      if (!isPlain && keyEvent.style !== SCALAR_STYLE.SINGLE_QUOTED && keyEvent.style !== SCALAR_STYLE.DOUBLE_QUOTED) handOver();
      const keySource = getScalarValue(text, keyEvent);
      const keyStart = isPlain ? keyEvent.valueStart : keyEvent.valueStart - 1;
      const keyEnd = isPlain ? keyEvent.valueEnd : keyEvent.valueEnd + 1;
      const keyValue = isPlain ? resolveCorePlain(keySource) : keySource;
      const colon = this.skipSpaces(keyEnd);
      const hasColon = text.charCodeAt(colon) === 58; /* : */
      if (!hasColon && !flow) handOver();
      const valueEvent = events.peek();
      const isMerge = isPlain && keySource === "<<";
      // a flow entry written without a colon ({a, b}) has no value node at all
      const noValueNode = !hasColon && valueEvent.type === EVENT_ID.SCALAR && valueEvent.valueStart === -1 && valueEvent.tagStart === -1 && valueEvent.anchorStart === -1;
      const value = this.node(depth + 1, hasColon ? colon + 1 : keyEnd);
      if (valueEvent.type === EVENT_ID.SCALAR && this.belowCommentAtLineStart(valueEvent, value.start)) handOver();
      weight += value.weight;
      if (value.height + 1 > height) height = value.height + 1;
      last = noValueNode ? keyEnd : value.end;
      after = noValueNode ? trailing(this.text, keyEnd) : value.after;
      lastAttaches = noValueNode || value.attaches === true;
      if (isMerge) {
        // a second merge key is a duplicate key
        if (fromMerge) handOver();
        fromMerge = new Set();
        if (!mergeInto(out, fromMerge, value.value)) handOver();
        continue;
      }
      const key = keyText(keyValue);
      // a key written twice (or two keys with one name, as 1 and "1"): the full reader says what is wrong
      if (Object.hasOwn(out, key) && !fromMerge?.delete(key)) handOver();
      setOwn(out, key, value.value);
      if (noValueNode) recordSourceAt(out, key, this.positions, keyStart, keyEnd, keyStart, keyEnd);
      else recordSourceAt(out, key, this.positions, keyStart, keyEnd, value.start, value.end);
      if (value.mergeTag) setMergeTag(out, key, value.mergeTag);
    }
    const { end, rest } = this.collectionEnd(start, flow, last, after, lastAttaches, 125 /* } */);
    recordSelfAt(out, this.positions, start, end);
    return { value: out, start, end, after: rest, weight, height, attaches: flow };
  }

  /** Where a collection ends (after its closing bracket, or after its last entry's value) and where what follows it starts. */
  private collectionEnd(start: number, flow: boolean, last: number, after: number, lastAttaches: boolean, closer: number): { end: number; rest: number } {
    if (flow) {
      const end = this.nextIndicator(last, closer) + 1;
      return { end, rest: trailing(this.text, end) };
    }
    const indent = this.indentOf(start);
    const end = endAfterValue(this.text, after, indent, lastAttaches);
    return { end, rest: commentsKept(this.text, end, indent) };
  }

  private sequence(start: number, flow: boolean, depth: number): Built {
    const events = this.events;
    const out: unknown[] = [];
    let weight = NODE_WEIGHT;
    let height = 0;
    let last = start + (flow ? 1 : 0);
    let after = last;
    let lastAttaches = false;
    let cursor = start + 1;
    for (;;) {
      if (events.peek().type === EVENT_ID.POP) {
        events.next();
        break;
      }
      const itemEvent = events.peek();
      const item = this.node(depth + 1, cursor);
      if (!flow && itemEvent.type === EVENT_ID.SCALAR && this.belowCommentAtLineStart(itemEvent, item.start)) handOver();
      out.push(item.value);
      recordSourceAt(out, out.length - 1, this.positions, item.start, item.end);
      if (item.mergeTag) setMergeTag(out, out.length - 1, item.mergeTag);
      weight += item.weight;
      if (item.height + 1 > height) height = item.height + 1;
      last = item.end;
      after = item.after;
      lastAttaches = item.attaches === true;
      // the next item written as nothing sits right after its dash
      const next = events.peek();
      if (!flow && next.type === EVENT_ID.SCALAR && next.valueStart === -1) {
        cursor = this.nextIndicator(item.after, 45 /* - */) + 1;
        // the full reader ends the sequence elsewhere when a comment comes before such an item
        const comment = this.text.indexOf("#", item.end);
        if (comment !== -1 && comment < cursor) handOver();
      }
    }
    const { end, rest } = this.collectionEnd(start, flow, last, after, lastAttaches, 93 /* ] */);
    recordSelfAt(out, this.positions, start, end);
    return { value: out, start, end, after: rest, weight, height, attaches: flow };
  }
}
