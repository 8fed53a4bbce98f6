import { closeSync, constants, fstatSync, openSync, readSync, statSync } from "node:fs";

/**
 * Reading the files a project names (Compose files, env files, extends and
 * include files, config and secret files, pod.copy sources). Only regular
 * files are read, and only up to a size cap: a device (`/dev/zero`), a FIFO
 * or a socket would otherwise be read until the process runs out of memory
 * or blocks for ever.
 */

/** Compose, env, extends and include files: far beyond any real one, far below what exhausts memory. */
export const TEXT_FILE_LIMIT = 16 * 1024 * 1024;

export type ReadResult<T> = { text?: undefined; data?: undefined; problem: string } | T;

function sizeWords(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} bytes`;
}

function kindOf(stat: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stat.isDirectory()) return "is a folder, not a file";
  if (stat.isFIFO()) return "is a FIFO (named pipe), not a regular file";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "is a device, not a regular file";
  if (stat.isSocket()) return "is a socket, not a regular file";
  return "is not a regular file";
}

function errorWords(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return "does not exist";
  if (code === "EACCES" || code === "EPERM") return "cannot be read (permission denied)";
  return `cannot be read (${code ?? (error as Error).message})`;
}

/** Why `path` cannot be read as a regular file of at most `limit` bytes, or undefined when it can. */
export function regularFileProblem(path: string, limit: number): string | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return kindOf(stat);
    if (stat.size > limit) return `is too large (${sizeWords(stat.size)}; at most ${sizeWords(limit)} is read)`;
    return undefined;
  } catch (error) {
    return errorWords(error);
  }
}

/**
 * The bytes of a regular file of at most `limit` bytes, or why it cannot be
 * read. The kind is checked before opening (opening a FIFO would wait for a
 * writer) and again on the open descriptor, and never more than `limit`
 * bytes are read, so a file swapped or growing meanwhile changes nothing.
 */
export function readBytes(path: string, limit: number): ReadResult<{ data: Buffer; problem?: undefined }> {
  const before = regularFileProblem(path, limit);
  if (before) return { problem: before };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { problem: errorWords(error) };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: kindOf(stat) };
    const buffer = Buffer.alloc(Math.min(stat.size, limit) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > limit) return { problem: `is too large (more than ${sizeWords(limit)})` };
      if (length === buffer.length) break;
    }
    return { data: buffer.subarray(0, length) };
  } catch (error) {
    return { problem: errorWords(error) };
  } finally {
    closeSync(fd);
  }
}

/** A file's text (UTF-8), or why it cannot be read ("does not exist", "is a folder, not a file", "is a device, ...", "is too large ..."). */
export function readText(path: string, limit = TEXT_FILE_LIMIT): ReadResult<{ text: string; problem?: undefined }> {
  const read = readBytes(path, limit);
  if (read.data === undefined) return { problem: read.problem };
  return { text: read.data.toString("utf8") };
}
