import { COLLECTION_STYLE, EVENT_ID, parseEvents } from "js-yaml";
import type { Event } from "js-yaml";
import { MAX_DEPTH } from "./yaml-values.js";

/**
 * js-yaml's events for a text, read a part at a time. parseEvents returns
 * every event of its input at once, about 100 bytes an event: for a 5 MB file
 * more memory than the values and positions made from them. A large file's
 * `services` block is therefore parsed in parts cut at the lines where a
 * service starts, and the parts' events are handed on as the one stream the
 * whole text gives: a part ends where its last service ends, and what a part
 * parsed alone adds (its document, its top mapping and their ends) is left out.
 *
 * A cut can only fall inside something that spans lines (a quoted or flow
 * value): the part before it then fails to parse. Any part that fails, or
 * does not have the shape a cut at a service gives, makes the caller read
 * the whole text at once instead.
 */
export interface EventSource {
  /** The next event; hands over (throws) past the end. */
  peek(): Event;
  next(): Event;
  /** Whether every event has been taken. */
  done(): boolean;
}

/** The text (or a part of it) gives no events, or none of the shape expected: the caller reads it another way. */
export class NoEvents extends Error {}

function parse(text: string): Event[] {
  try {
    return parseEvents(text, { maxDepth: MAX_DEPTH + 1 });
  } catch {
    throw new NoEvents();
  }
}

/** About how many characters of services a part holds. */
export const DEFAULT_PART_SIZE = 1 << 16;

/**
 * Services shorter than this many parts are parsed whole: their events take
 * little memory (1 MB of text gives about 13 MB), and each part costs some
 * time (the parser's compiled code is made again for the first few parts).
 */
const MIN_PARTS = 16;

/** Every event of `text` from one parse: the way small files are read, and the fallback. */
export function wholeEvents(text: string): EventSource {
  return new ArrayEvents(parse(text));
}

class ArrayEvents implements EventSource {
  private i = 0;
  constructor(private readonly events: readonly Event[]) {}
  peek(): Event {
    const event = this.events[this.i];
    if (event === undefined) throw new NoEvents();
    return event;
  }
  next(): Event {
    const event = this.peek();
    this.i++;
    return event;
  }
  done(): boolean {
    return this.i === this.events.length;
  }
}

/** Where the services block of `text` is and where it may be cut, or undefined when it is read whole. */
interface Parts {
  /** The starts of the parts: the first is 0, the others are lines where a service starts. */
  cuts: number[];
  /** Where the first service starts, after its indentation. */
  firstEntry: number;
  /** How far the services are indented. */
  indent: number;
  /** Where the top-level key after `services` starts (the text's length when there is none). */
  end: number;
}

const SERVICES_LINE = /^services:[ \t]*(?:#[^\n]*)?\r?$/m;

/**
 * The parts of `text`, when its `services:` is a block mapping written at the
 * top with at least MIN_PARTS parts' worth of lines, every one of them
 * indented at least as far as its first service and with spaces only.
 */
function findParts(text: string, partSize: number): Parts | undefined {
  const header = SERVICES_LINE.exec(text);
  if (!header) return undefined;
  let line = header.index + header[0].length + 1;
  let indent = -1;
  let firstEntry = -1;
  const cuts = [0];
  let end = text.length;
  while (line < text.length) {
    let at = line;
    while (text.charCodeAt(at) === 32) at++;
    const c = text.charCodeAt(at);
    if (c === 9) return undefined;
    const eol = text.indexOf("\n", at);
    const next = eol === -1 ? text.length : eol + 1;
    // blank lines and comments do not end or cut the block
    if (c === 10 || c === 13 || c === 35 /* # */ || at === text.length) {
      line = next;
      continue;
    }
    const depth = at - line;
    if (depth === 0) {
      end = line;
      break;
    }
    if (indent === -1) {
      indent = depth;
      firstEntry = at;
    } else if (depth < indent) return undefined;
    // a service's key, not a sequence item, complex key or flow value at that indentation
    else if (depth === indent && c !== 45 /* - */ && c !== 63 /* ? */ && c !== 58 /* : */ && c !== 91 /* [ */ && c !== 123 /* { */ && line - cuts[cuts.length - 1]! >= partSize) {
      cuts.push(line);
    }
    line = next;
  }
  if (cuts.length < 2 || end - firstEntry < MIN_PARTS * partSize) return undefined;
  return { cuts, firstEntry, indent, end };
}

/** The events of `text`, its services block parsed a part at a time when it is large; undefined when it is read whole. */
export function partEvents(text: string, partSize = DEFAULT_PART_SIZE): EventSource | undefined {
  const parts = findParts(text, partSize);
  return parts && new PartEvents(text, parts);
}

const POP: Event = { type: EVENT_ID.POP };

class PartEvents implements EventSource {
  private events: Event[] = [];
  private i = 0;
  /** The next part to parse: an index into cuts, then cuts.length for the rest after the services. */
  private part = 0;
  private finished = false;

  constructor(
    private readonly text: string,
    private readonly parts: Parts,
  ) {}

  peek(): Event {
    while (this.i === this.events.length) {
      if (this.finished) throw new NoEvents();
      this.load();
    }
    return this.events[this.i]!;
  }

  next(): Event {
    const event = this.peek();
    this.i++;
    return event;
  }

  done(): boolean {
    return this.finished && this.i === this.events.length;
  }

  private load(): void {
    const { cuts, end, firstEntry, indent } = this.parts;
    const part = this.part++;
    this.i = 0;
    if (part === 0) {
      // the document, the top mapping and the services mapping stay open
      const events = parse(this.text.slice(0, cuts[1]));
      if (!events.some((e) => e.type === EVENT_ID.MAPPING && e.start === firstEntry && e.style === COLLECTION_STYLE.BLOCK)) throw new NoEvents();
      this.events = dropPops(events, 3);
      return;
    }
    if (part < cuts.length) {
      const from = cuts[part]!;
      const to = part + 1 < cuts.length ? cuts[part + 1]! : end;
      const events = dropPops(this.parsePart(from, to, from + indent), 2);
      if (part + 1 === cuts.length) {
        events.push(POP);
        if (end === this.text.length) {
          events.push(POP, POP);
          this.finished = true;
        }
      }
      this.events = events;
      return;
    }
    // the top-level keys after the services, whose end closes the document
    this.events = this.parsePart(end, this.text.length, end);
    this.finished = true;
  }

  /**
   * The events of text[from, to) parsed alone, at their places in the text,
   * without its document and top mapping start: that mapping must start at
   * `mappingStart`, in block style, with no properties.
   */
  private parsePart(from: number, to: number, mappingStart: number): Event[] {
    const events = parse(this.text.slice(from, to));
    const doc = events[0];
    const top = events[1];
    if (doc?.type !== EVENT_ID.DOCUMENT || doc.explicitStart || doc.explicitEnd || doc.directives.length > 0) throw new NoEvents();
    if (top?.type !== EVENT_ID.MAPPING || top.style !== COLLECTION_STYLE.BLOCK || top.start + from !== mappingStart || top.anchorStart !== -1 || top.tagStart !== -1) throw new NoEvents();
    for (let i = 2; i < events.length; i++) {
      const event = events[i]!;
      switch (event.type) {
        case EVENT_ID.DOCUMENT:
          throw new NoEvents();
        case EVENT_ID.SCALAR:
          if (event.valueStart !== -1) {
            event.valueStart += from;
            event.valueEnd += from;
          }
          shiftProperties(event, from);
          break;
        case EVENT_ID.MAPPING:
        case EVENT_ID.SEQUENCE:
          event.start += from;
          shiftProperties(event, from);
          break;
        case EVENT_ID.ALIAS:
          event.anchorStart += from;
          event.anchorEnd += from;
          break;
      }
    }
    return events.slice(2);
  }
}

function shiftProperties(event: { anchorStart: number; anchorEnd: number; tagStart: number; tagEnd: number }, by: number): void {
  if (event.anchorStart !== -1) {
    event.anchorStart += by;
    event.anchorEnd += by;
  }
  if (event.tagStart !== -1) {
    event.tagStart += by;
    event.tagEnd += by;
  }
}

/** `events` without its last `count` events, which must close collections or the document. */
function dropPops(events: Event[], count: number): Event[] {
  if (events.length < count) throw new NoEvents();
  for (let i = events.length - count; i < events.length; i++) if (events[i]!.type !== EVENT_ID.POP) throw new NoEvents();
  events.length -= count;
  return events;
}
