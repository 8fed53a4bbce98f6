/**
 * The pod's state as one line on the controller's own output. A Swarm
 * manager reads every task's output through the logs endpoint, whatever node
 * the task runs on, so `podlike ps` learns each pod's component states from
 * the manager alone. The controller writes a line on every change and again
 * every STATUS_REFRESH_MS, so a recent one is always there to read.
 */
import type { HealthState } from "./health-state.js";

export const STATUS_MARKER = "podlike-status ";
export const STATUS_REFRESH_MS = 30_000;
const FORMAT_VERSION = 1;

/** What one line carries: the pod's aggregated health and each component's state ("running", "healthy", "exited (3)", ...). */
export type PodStatus = Pick<HealthState, "status" | "components" | "updated">;

export function formatStatusLine(state: PodStatus): string {
  return `${STATUS_MARKER}${JSON.stringify({ v: FORMAT_VERSION, status: state.status, components: state.components, updated: state.updated })}\n`;
}

/** The state a line carries, or undefined for any other line (component output, a newer format). */
export function parseStatusLine(line: string): PodStatus | undefined {
  const at = line.indexOf(STATUS_MARKER);
  if (at < 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line.slice(at + STATUS_MARKER.length));
  } catch {
    return undefined;
  }
  const v = value as { v?: unknown; status?: unknown; components?: unknown; updated?: unknown };
  if (v?.v !== FORMAT_VERSION || typeof v.status !== "string" || typeof v.updated !== "string") return undefined;
  if (!v.components || typeof v.components !== "object" || Array.isArray(v.components)) return undefined;
  const components: Record<string, string> = {};
  for (const [name, state] of Object.entries(v.components)) if (typeof state === "string") components[name] = state;
  return { status: v.status as PodStatus["status"], components, updated: v.updated };
}

/** Writes the state on every change and repeats the latest one every `refreshMs` until stopped. */
export function createStatusPublisher(write: (line: string) => void, refreshMs = STATUS_REFRESH_MS): { publish(state: PodStatus): void; stop(): void } {
  let latest: PodStatus | undefined;
  const timer = setInterval(() => {
    if (latest) write(formatStatusLine(latest));
  }, refreshMs);
  timer.unref();
  return {
    publish(state) {
      latest = state;
      write(formatStatusLine(state));
    },
    stop() {
      clearInterval(timer);
    },
  };
}
