/**
 * The file through which `podlike healthcheck` learns the pod's health. The
 * controller rewrites it atomically on every change; the health check reads
 * it and nothing else. The file names the writing process (pid and its start
 * time), so a file left by an earlier run of a container restarted in place
 * is recognised as stale instead of reporting the dead pod's health.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { PodHealth } from "./health.js";

export const DEFAULT_STATE_FILE = "/run/podlike/health.json";

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

export function writeHealthState(path: string, state: HealthState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state) + "\n");
  renameSync(temporary, path);
}

export type HealthReading =
  | { ok: true; state: HealthState }
  | { ok: false; reason: string; state?: HealthState };

/** Reads the state file and checks that the process that wrote it still runs. */
export function readHealthState(path: string): HealthReading {
  let state: HealthState;
  try {
    state = JSON.parse(readFileSync(path, "utf8")) as HealthState;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === "ENOENT" ? "the controller has not reported yet" : `cannot read ${path}: ${(error as Error).message}` };
  }
  if (typeof state?.pid !== "number" || typeof state.status !== "string") return { ok: false, reason: `${path} is not a controller state file` };
  const start = processStartTime(state.pid);
  if (state.pidStart !== undefined && start !== undefined && start !== state.pidStart) {
    return { ok: false, reason: "the state file is left over from an earlier run of this container", state };
  }
  if (state.pidStart !== undefined && start === undefined) {
    return { ok: false, reason: "the controller that wrote the state file no longer runs", state };
  }
  return { ok: true, state };
}
