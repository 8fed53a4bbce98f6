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
  /** Where each line starts, found when a position is first asked for: most reads never ask. */
  private starts: number[] | undefined;

  constructor(
    readonly file: string,
    private text: string | undefined,
  ) {}

  private lineStarts(): number[] {
    if (this.starts) return this.starts;
    const text = this.text!;
    const starts = [0];
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) starts.push(at + 1);
    this.text = undefined;
    this.starts = starts;
    return starts;
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
    const starts = this.lineStarts();
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

/**
 * The positions the fast reader finds in one file, as offsets into its text:
 * four numbers an entry (key start and end, value start and end; a value
 * start of -1 when only the key is known), in blocks of a fixed size. A large
 * file has hundreds of thousands of entries: an object and a map slot each
 * cost several times the memory of the plain and merged trees' values.
 */
export class OffsetTable {
  readonly lines: LineIndex;
  private readonly blocks: Int32Array[] = [];
  private count = 0;

  constructor(file: string, text: string) {
    this.lines = new LineIndex(file, text);
  }

  /** Stores one entry's offsets; returns its slot. */
  add(keyStart: number, keyEnd: number, valueStart: number, valueEnd: number): number {
    const slot = this.count++;
    const at = (slot & BLOCK_MASK) * 4;
    if (at === 0) this.blocks.push(new Int32Array(BLOCK_SLOTS * 4));
    const block = this.blocks[slot >> BLOCK_BITS]!;
    block[at] = keyStart;
    block[at + 1] = keyEnd;
    block[at + 2] = valueStart;
    block[at + 3] = valueEnd;
    return slot;
  }

  keyRef(slot: number): SourceRef {
    const block = this.blocks[slot >> BLOCK_BITS]!;
    const at = (slot & BLOCK_MASK) * 4;
    return this.lines.ref(block[at]!, block[at + 1]!);
  }

  valueRef(slot: number): SourceRef | undefined {
    const block = this.blocks[slot >> BLOCK_BITS]!;
    const at = (slot & BLOCK_MASK) * 4;
    return block[at + 2]! < 0 ? undefined : this.lines.ref(block[at + 2]!, block[at + 3]!);
  }

  hasValue(slot: number): boolean {
    return this.blocks[slot >> BLOCK_BITS]![(slot & BLOCK_MASK) * 4 + 2]! >= 0;
  }
}

const BLOCK_BITS = 14;
const BLOCK_SLOTS = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK_SLOTS - 1;

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

/** A slot of another table than the one of the record holding it (a container with entries from two files). */
class TableEntry implements EntrySource {
  readonly hasValue: boolean;
  constructor(
    private readonly table: OffsetTable,
    private readonly slot: number,
  ) {
    this.hasValue = table.hasValue(slot);
  }
  keyRef(): SourceRef {
    return this.table.keyRef(this.slot);
  }
  valueRef(): SourceRef | undefined {
    return this.table.valueRef(this.slot);
  }
}

/** A slot of the record's own table, or a position held some other way. */
type Entry = number | EntrySource;

/**
 * The positions of one container. Entries are keyed as the container is, in
 * a plain object: the records of containers with the same keys share one
 * shape, so an entry costs little more than its slot.
 */
class SourceRecord {
  /** The table the record's slots are in; set by the first slot it holds. */
  table: OffsetTable | undefined = undefined;
  /** Position of the container itself (a slot's key part is its range). */
  self: number | TableEntry | SourceRef | undefined = undefined;
  /** Position of each entry: its key (mappings) or item (sequences), and its value. */
  readonly entries: Record<string | number, Entry> = {};

  get(key: string | number): Entry | undefined {
    return Object.hasOwn(this.entries, key) ? this.entries[key] : undefined;
  }

  set(key: string | number, entry: Entry): void {
    if (key === "__proto__") Object.defineProperty(this.entries, key, { value: entry, enumerable: true, writable: true, configurable: true });
    else this.entries[key] = entry;
  }

  keyRef(entry: Entry): SourceRef {
    return typeof entry === "number" ? this.table!.keyRef(entry) : entry.keyRef();
  }

  valueRef(entry: Entry): SourceRef | undefined {
    return typeof entry === "number" ? this.table!.valueRef(entry) : entry.valueRef();
  }

  hasValue(entry: Entry): boolean {
    return typeof entry === "number" ? this.table!.hasValue(entry) : entry.hasValue;
  }

  /** A slot of `table`, as this record can hold it: a slot of its own table stays a number. */
  slotOf(table: OffsetTable, slot: number): number | TableEntry {
    this.table ??= table;
    return this.table === table ? slot : new TableEntry(table, slot);
  }

  /** `entry` of the record `from`, as this record can hold it. */
  adopt(from: SourceRecord, entry: Entry): Entry {
    return typeof entry === "number" ? this.slotOf(from.table!, entry) : entry;
  }

  selfRef(): SourceRef | undefined {
    const self = this.self;
    if (typeof self === "number") return this.table!.keyRef(self);
    return self instanceof TableEntry ? self.keyRef() : self;
  }
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === "object" && value !== null;
}

function recordOf(container: object, create: boolean): SourceRecord | undefined {
  const holder = container as { [SOURCES]?: SourceRecord };
  let record = holder[SOURCES];
  if (!record && create) {
    record = new SourceRecord();
    Object.defineProperty(container, SOURCES, { value: record, enumerable: false, writable: true, configurable: true });
  }
  return record;
}

export function recordSelf(container: object, ref: SourceRef): void {
  recordOf(container, true)!.self = ref;
}

/** Remembers that `container` was written from `start` to `end` of the file `table` holds the offsets of. */
export function recordSelfAt(container: object, table: OffsetTable, start: number, end: number): void {
  const record = recordOf(container, true)!;
  record.self = record.slotOf(table, table.add(start, end, -1, -1));
}

/** Remembers where `container[key]` was written: its key and (optionally) its value. */
export function recordSource(container: object, key: string | number, keyRef: SourceRef, valueRef?: SourceRef): void {
  const record = recordOf(container, true)!;
  const known = record.get(key);
  record.set(key, new RefEntry(keyRef, valueRef ?? (known === undefined ? undefined : record.valueRef(known))));
}

/** recordSource with offsets into the file `table` holds the offsets of; a valueStart of -1 records the key only. */
export function recordSourceAt(container: object, key: string | number, table: OffsetTable, keyStart: number, keyEnd: number, valueStart = -1, valueEnd = -1): void {
  const record = recordOf(container, true)!;
  record.set(key, record.slotOf(table, table.add(keyStart, keyEnd, valueStart, valueEnd)));
}

/** Position of `container[key]`: its value when known, else its key. */
export function sourceOfEntry(container: unknown, key: string | number, prefer: "value" | "key" = "value"): SourceRef | undefined {
  if (!isContainer(container)) return undefined;
  const record = recordOf(container, false);
  const entry = record?.get(key);
  if (entry === undefined) return undefined;
  if (prefer === "value") return record!.valueRef(entry) ?? record!.keyRef(entry);
  return record!.keyRef(entry);
}

export function sourceOfSelf(container: unknown): SourceRef | undefined {
  if (!isContainer(container)) return undefined;
  return recordOf(container, false)?.selfRef();
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

/** Gives `to` the position of `from` itself, when `from` has one. */
export function copySelfSource(from: unknown, to: object): void {
  if (!isContainer(from)) return;
  const source = recordOf(from, false);
  if (source?.self === undefined) return;
  const target = recordOf(to, true)!;
  target.self = typeof source.self === "number" ? target.slotOf(source.table!, source.self) : source.self;
}

/** Copies every recorded position of `from` onto `to` (same keys), without overwriting what `to` knows. */
export function copySources(from: unknown, to: unknown): void {
  if (!isContainer(from) || !isContainer(to)) return;
  const source = recordOf(from, false);
  if (!source) return;
  const target = recordOf(to, true)!;
  if (target.self === undefined && source.self !== undefined) target.self = typeof source.self === "number" ? target.slotOf(source.table!, source.self) : source.self;
  for (const k in source.entries) {
    const entry = source.entries[k]!;
    const known = target.get(k);
    if (known === undefined) target.set(k, target.adopt(source, entry));
    else if (!target.hasValue(known) && source.hasValue(entry)) target.set(k, new RefEntry(target.keyRef(known), source.valueRef(entry)));
  }
}

/** Moves the position of entry `fromKey` of `from` to entry `toKey` of `to`; a moved key without a value keeps the value position `to` had. */
export function copyEntrySource(from: unknown, fromKey: string | number, to: object, toKey: string | number): void {
  if (!isContainer(from)) return;
  const source = recordOf(from, false);
  const entry = source?.get(fromKey);
  if (entry === undefined) return;
  const target = recordOf(to, true)!;
  const known = source!.hasValue(entry) ? undefined : target.get(toKey);
  if (known !== undefined && target.hasValue(known)) target.set(toKey, new RefEntry(source!.keyRef(entry), target.valueRef(known)));
  else target.set(toKey, target.adopt(source!, entry));
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
