/**
 * pod.copy: the files a component gets before it starts, as one tar archive
 * for the engine's archive endpoint (PUT /containers/{id}/archive, path "/").
 * A ustar writer is a few dozen lines, so the controller carries no tar
 * dependency; names longer than ustar allows, and uid/gid above ustar's
 * 7 octal digits (2097151), get PAX records.
 */
import { readdirSync, statSync } from "node:fs";
import { basename, posix } from "node:path";
import { MAX_OWNER_ID, type CopySpec } from "../labels/protocol.js";
import { readBytes } from "../compose/read-text.js";

/** The largest file pod.copy puts into an archive (held in memory whole). */
export const COPY_FILE_LIMIT = 64 * 1024 * 1024;

export interface TarEntry {
  /** Path inside the archive, relative (no leading "/"). */
  name: string;
  type: "file" | "directory";
  mode: number;
  uid: number;
  gid: number;
  content?: Buffer;
  /** Seconds since the epoch. */
  mtime: number;
}

const BLOCK = 512;
/** The largest value of ustar's 8-byte uid and gid fields (7 octal digits). */
export const USTAR_MAX_ID = 0o7777777;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function header(name: string, prefix: string, type: string, size: number, entry: Pick<TarEntry, "mode" | "uid" | "gid" | "mtime">): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, "utf8");
  block.write(octal(entry.mode & 0o7777, 8), 100, "ascii");
  // an id too big for ustar is in a PAX record; the field says root to readers that ignore it
  block.write(octal(entry.uid > USTAR_MAX_ID ? 0 : entry.uid, 8), 108, "ascii");
  block.write(octal(entry.gid > USTAR_MAX_ID ? 0 : entry.gid, 8), 116, "ascii");
  block.write(octal(size, 12), 124, "ascii");
  block.write(octal(Math.floor(entry.mtime), 12), 136, "ascii");
  block.write("        ", 148, "ascii");
  block.write(type, 156, "ascii");
  block.write("ustar\0", 257, "ascii");
  block.write("00", 263, "ascii");
  block.write("root", 265, "ascii");
  block.write("root", 297, "ascii");
  block.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + " ", 148, "ascii");
  return block;
}

function padded(content: Buffer): Buffer[] {
  const rest = content.length % BLOCK;
  return rest === 0 ? [content] : [content, Buffer.alloc(BLOCK - rest)];
}

/** ustar splits a long name at a "/" into prefix (≤155 bytes) and name (≤100 bytes). */
function splitName(name: string): { name: string; prefix: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { name, prefix: "" };
  for (let i = name.indexOf("/"); i > 0; i = name.indexOf("/", i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest) return { name: rest, prefix };
  }
  return undefined;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

export function createTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const name = entry.type === "directory" && !entry.name.endsWith("/") ? `${entry.name}/` : entry.name;
    for (const id of [entry.uid, entry.gid]) {
      if (!Number.isInteger(id) || id < 0 || id > MAX_OWNER_ID) throw new RangeError(`${name}: owner id ${id} is not between 0 and ${MAX_OWNER_ID}`);
    }
    let records = "";
    let split = splitName(name);
    if (!split) {
      records += paxRecord("path", name);
      split = { name: name.slice(-100).replace(/^\/+/, ""), prefix: "" };
    }
    if (entry.uid > USTAR_MAX_ID) records += paxRecord("uid", String(entry.uid));
    if (entry.gid > USTAR_MAX_ID) records += paxRecord("gid", String(entry.gid));
    if (records) {
      const pax = Buffer.from(records, "utf8");
      parts.push(header("PaxHeader", "", "x", pax.length, { ...entry, uid: 0, gid: 0 }), ...padded(pax));
    }
    const content = entry.type === "file" ? (entry.content ?? Buffer.alloc(0)) : Buffer.alloc(0);
    parts.push(header(split.name, split.prefix, entry.type === "file" ? "0" : "5", content.length, entry));
    if (content.length) parts.push(...padded(content));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

export interface CopySource {
  isDirectory(path: string): boolean;
  read(path: string): Buffer;
  mode(path: string): number;
  list(path: string): string[];
}

export const fileSystemSource: CopySource = {
  isDirectory: (path) => statSync(path).isDirectory(),
  read: (path) => {
    // a device, FIFO or socket would be read for ever: only regular files are copied
    const { data, problem } = readBytes(path, COPY_FILE_LIMIT);
    if (!data) throw new Error(`${path} ${problem}`);
    return data;
  },
  mode: (path) => statSync(path).mode & 0o7777,
  list: (path) => readdirSync(path).sort(),
};

/**
 * The archive for one component's copies. A target ending in "/" receives
 * the source under its own name; a directory source is copied with its
 * contents. mode defaults to the source's, uid and gid to root. Missing
 * parent folders are created by the engine.
 */
export function copyArchive(specs: readonly CopySpec[], source: CopySource = fileSystemSource, now = Date.now() / 1000): Buffer {
  const entries: TarEntry[] = [];
  for (const spec of specs) {
    const target = spec.target.endsWith("/") ? posix.join(spec.target, basename(spec.source)) : spec.target;
    const owner = { uid: spec.uid ?? 0, gid: spec.gid ?? 0, mtime: now };
    const add = (from: string, to: string, top: boolean): void => {
      const name = posix.normalize(to).replace(/^\/+/, "");
      if (source.isDirectory(from)) {
        entries.push({ name, type: "directory", mode: top && spec.mode !== undefined ? spec.mode : source.mode(from), ...owner });
        for (const child of source.list(from)) add(posix.join(from, child), posix.join(to, child), false);
      } else {
        entries.push({ name, type: "file", mode: spec.mode ?? source.mode(from), content: source.read(from), ...owner });
      }
    };
    add(spec.source, target, true);
  }
  return createTar(entries);
}
