/**
 * The file through which `podlike healthcheck` learns the pod's health. The
 * controller rewrites it atomically on every change and at least every
 * HEARTBEAT_MS; the health check reads it and nothing else. A file speaks for
 * the pod only while the process that wrote it (pid and that pid's start
 * time) still runs and it was rewritten recently: a file left by an earlier
 * run, by a replaced controller, or by one that is stuck reads as unhealthy.
 */
import { close, closeSync, constants, fsync, fsyncSync, mkdir, mkdirSync, open, openSync, readFileSync, readSync, rename, renameSync, unlink, unlinkSync, writeFile, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { PodHealth } from "./health.js";

export const DEFAULT_STATE_FILE = "/run/podlike/health.json";

/** How often the controller rewrites the file even when nothing changed. */
export const HEARTBEAT_MS = 10_000;
/** A file not rewritten for this long comes from a controller that is stuck (six missed heartbeats). */
export const STALE_AFTER_MS = 60_000;

export function stateFilePath(env: Record<string, string | undefined>): string {
  return env.PODLIKE_STATE_FILE || DEFAULT_STATE_FILE;
}

export interface HealthState {
  status: PodHealth | "stopping";
  /** Component name → running/healthy/unhealthy/starting/exited. */
  components: Record<string, string>;
  pid: number;
  /** Start time of `pid` (field 22 of /proc/<pid>/stat); undefined where /proc is not readable. */
  pidStart?: string;
  /** When the file was written (ISO 8601). */
  updated: string;
}

export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // the command name (field 2) may contain spaces and parentheses: count fields after the last ")"
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19];
  } catch {
    return undefined;
  }
}

/**
 * Writes the state under a random temporary name in the same folder (created
 * exclusively, never through a symlink, mode 0600), flushes it to disk, then
 * renames it over the state file and flushes the folder: a reader sees the
 * old file or the new one, never a part, and nobody can plant the temporary
 * file in advance.
 */
/** 96 random bits from the kernel, for a temporary name nobody can plant in advance (without loading node:crypto, which the controller's memory budget feels). */
function randomSuffix(): string {
  const bytes = Buffer.alloc(12);
  const fd = openSync("/dev/urandom", constants.O_RDONLY);
  try {
    readSync(fd, bytes, 0, bytes.length, null);
  } finally {
    closeSync(fd);
  }
  return bytes.toString("hex");
}

export function writeHealthState(path: string, state: HealthState): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  const temporary = join(folder, `.${basename(path)}.${randomSuffix()}`);
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    try {
      writeSync(fd, JSON.stringify(state) + "\n");
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // already renamed or gone
    }
    throw error;
  }
  syncFolder(folder);
}

function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, constants.O_RDONLY | constants.O_DIRECTORY);
    fsyncSync(fd);
  } catch {
    // some file systems cannot sync a folder; the rename is still atomic
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** writeHealthState without blocking: the fsyncs take a disk's time, which the pod's start must not wait for. */
export async function writeHealthStateAsync(path: string, state: HealthState): Promise<void> {
  const folder = dirname(path);
  await done<string | undefined>((callback) => mkdir(folder, { recursive: true, mode: 0o755 }, callback));
  const temporary = join(folder, `.${basename(path)}.${randomSuffix()}`);
  const fd = await done<number>((callback) => open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600, callback));
  try {
    try {
      await done((callback) => writeFile(fd, JSON.stringify(state) + "\n", callback));
      await done((callback) => fsync(fd, callback));
    } finally {
      await done((callback) => close(fd, callback));
    }
    await done((callback) => rename(temporary, path, callback));
  } catch (error) {
    await done((callback) => unlink(temporary, callback)).catch(() => {});
    throw error;
  }
  const dir = await done<number>((callback) => open(folder, constants.O_RDONLY | constants.O_DIRECTORY, callback)).catch(() => undefined);
  if (dir === undefined) return;
  await done((callback) => fsync(dir, callback)).catch(() => {});
  await done((callback) => close(dir, callback));
}

/**
 * A callback-style fs call as a promise. node:fs/promises would do, but it
 * loads readline and a dozen stream modules into the controller for good.
 */
function done<T = void>(call: (callback: (error: NodeJS.ErrnoException | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => call((error, value) => (error ? reject(error) : resolve(value as T))));
}

/**
 * One write at a time, the latest state winning: a state given while a write
 * is under way is written right after it, and states given meanwhile are
 * skipped. `flush()` resolves once the latest state is on disk.
 */
export function createStateWriter(path: string, onError: (error: Error) => void): { write(state: HealthState): void; flush(): Promise<void> } {
  let pending: HealthState | undefined;
  let running: Promise<void> | undefined;
  const drain = async (): Promise<void> => {
    while (pending) {
      const state = pending;
      pending = undefined;
      await writeHealthStateAsync(path, state).catch((error: Error) => onError(error));
    }
    running = undefined;
  };
  return {
    write(state) {
      pending = state;
      running ??= drain();
    },
    flush: () => running ?? Promise.resolve(),
  };
}

export type HealthReading =
  | { ok: true; state: HealthState }
  | { ok: false; reason: string; state?: HealthState };

/** Reads the state file and checks that it comes from the controller running now, written recently. */
export function readHealthState(path: string, now = Date.now()): HealthReading {
  let state: HealthState;
  try {
    state = JSON.parse(readFileSync(path, "utf8")) as HealthState;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === "ENOENT" ? "the controller has not reported yet" : `cannot read ${path}: ${(error as Error).message}` };
  }
  if (typeof state?.pid !== "number" || typeof state.status !== "string") return { ok: false, reason: `${path} is not a controller state file` };
  if (typeof state.pidStart !== "string") return { ok: false, reason: `${path} does not say which process wrote it (no pidStart)`, state };
  const start = processStartTime(state.pid);
  if (start === undefined) return { ok: false, reason: "the controller that wrote the state file no longer runs", state };
  if (start !== state.pidStart) return { ok: false, reason: "the state file is left over from an earlier run of this container", state };
  const updated = Date.parse(state.updated);
  if (Number.isNaN(updated)) return { ok: false, reason: `${path} has no valid "updated" time`, state };
  if (now - updated > STALE_AFTER_MS) {
    return { ok: false, reason: `the controller has not reported for ${Math.round((now - updated) / 1000)} s: it is stuck`, state };
  }
  return { ok: true, state };
}
