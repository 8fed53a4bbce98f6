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

/**
 * Where the lines of one file start. Positions recorded as offsets into its
 * text become lines and columns only when a finding asks for one: a large
 * file has hundreds of thousands of entries and few findings.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(
    readonly file: string,
    text: string,
  ) {
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) this.starts.push(at + 1);
  }

  /** The position of the text from `start` to `end` (1-based lines and columns; no end when it is empty). */
  ref(start: number, end: number): SourceRef {
    const from = this.linePos(start);
    const ref: SourceRef = { file: this.file, line: from.line, col: from.col };
    if (end > start) {
      const to = this.linePos(end);
      ref.endLine = to.line;
      ref.endCol = to.col;
    }
    return ref;
  }

  private linePos(offset: number): { line: number; col: number } {
    const starts = this.starts;
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (offset < starts[mid]!) high = mid;
      else low = mid + 1;
    }
    return { line: low, col: offset - starts[low - 1]! + 1 };
  }
}

/** Where one entry was written: its key (mappings) or item (sequences), and its value where that differs. */
interface EntrySource {
  keyRef(): SourceRef;
  valueRef(): SourceRef | undefined;
  readonly hasValue: boolean;
}

class RefEntry implements EntrySource {
  readonly hasValue: boolean;
  constructor(
    private readonly key: SourceRef,
    private readonly value: SourceRef | undefined,
  ) {
    this.hasValue = value !== undefined;
  }
  keyRef(): SourceRef {
    return this.key;
  }
  valueRef(): SourceRef | undefined {
    return this.value;
  }
}

/** An entry's position as offsets into its file's text; valueStart is -1 when only the key is known. */
class OffsetEntry implements EntrySource {
  readonly hasValue: boolean;
  constructor(
    private readonly lines: LineIndex,
    private readonly keyStart: number,
    private readonly keyEnd: number,
    private readonly valueStart: number,
    private readonly valueEnd: number,
  ) {
    this.hasValue = valueStart >= 0;
  }
  keyRef(): SourceRef {
    return this.lines.ref(this.keyStart, this.keyEnd);
  }
  valueRef(): SourceRef | undefined {
    return this.hasValue ? this.lines.ref(this.valueStart, this.valueEnd) : undefined;
  }
}

class OffsetSelf {
  constructor(
    readonly lines: LineIndex,
    readonly start: number,
    readonly end: number,
  ) {}
}

interface SourceRecord {
  /** Position of the container itself. */
  self?: SourceRef | OffsetSelf;
  /** Position of each entry: its key (mappings) or item (sequences), and its value. */
  entries: Map<string | number, EntrySource>;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === "object" && value !== null;
}

function recordOf(container: object, create: boolean): SourceRecord | undefined {
  const holder = container as { [SOURCES]?: SourceRecord };
  let record = holder[SOURCES];
  if (!record && create) {
    record = { self: undefined, entries: new Map() };
    Object.defineProperty(container, SOURCES, { value: record, enumerable: false, writable: true, configurable: true });
  }
  return record;
}

export function recordSelf(container: object, ref: SourceRef): void {
  recordOf(container, true)!.self = ref;
}

/** Remembers that `container` was written from `start` to `end` of the file `lines` indexes. */
export function recordSelfAt(container: object, lines: LineIndex, start: number, end: number): void {
  recordOf(container, true)!.self = new OffsetSelf(lines, start, end);
}

/** Remembers where `container[key]` was written: its key and (optionally) its value. */
export function recordSource(container: object, key: string | number, keyRef: SourceRef, valueRef?: SourceRef): void {
  const record = recordOf(container, true)!;
  record.entries.set(key, new RefEntry(keyRef, valueRef ?? record.entries.get(key)?.valueRef()));
}

/** recordSource with offsets into the file `lines` indexes; a valueStart of -1 records the key only. */
export function recordSourceAt(container: object, key: string | number, lines: LineIndex, keyStart: number, keyEnd: number, valueStart = -1, valueEnd = -1): void {
  recordOf(container, true)!.entries.set(key, new OffsetEntry(lines, keyStart, keyEnd, valueStart, valueEnd));
}

/** Position of `container[key]`: its value when known, else its key. */
export function sourceOfEntry(container: unknown, key: string | number, prefer: "value" | "key" = "value"): SourceRef | undefined {
  if (!isContainer(container)) return undefined;
  const entry = recordOf(container, false)?.entries.get(key);
  if (!entry) return undefined;
  if (prefer === "value") return entry.valueRef() ?? entry.keyRef();
  return entry.keyRef();
}

export function sourceOfSelf(container: unknown): SourceRef | undefined {
  if (!isContainer(container)) return undefined;
  const self = recordOf(container, false)?.self;
  return self instanceof OffsetSelf ? self.lines.ref(self.start, self.end) : self;
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
  for (const [k, entry] of source.entries) {
    const known = target.entries.get(k);
    if (!known) target.entries.set(k, entry);
    else if (!known.hasValue && entry.hasValue) target.entries.set(k, new RefEntry(known.keyRef(), entry.valueRef()));
  }
}

/** Moves the position of entry `fromKey` of `from` to entry `toKey` of `to`; a moved key without a value keeps the value position `to` had. */
export function copyEntrySource(from: unknown, fromKey: string | number, to: object, toKey: string | number): void {
  if (!isContainer(from)) return;
  const entry = recordOf(from, false)?.entries.get(fromKey);
  if (!entry) return;
  const target = recordOf(to, true)!;
  const known = entry.hasValue ? undefined : target.entries.get(toKey);
  target.entries.set(toKey, known?.hasValue ? new RefEntry(entry.keyRef(), known.valueRef()) : entry);
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
