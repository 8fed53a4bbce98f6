/** The Engine API's container events (GET /events) as podlike's EngineEvent, and event times back to the API. */
import type { EngineEvent, HealthStatus } from "./container-engine.js";

export const isHealth = (s: unknown): s is HealthStatus => s === "starting" || s === "healthy" || s === "unhealthy";

/** Engine API timestamps are seconds with an optional fraction: "1700000000.123456789". */
export function apiTimestamp(nanoseconds: string): string {
  const digits = nanoseconds.replace(/^0+/, "").padStart(10, "0");
  return `${digits.slice(0, -9) || "0"}.${digits.slice(-9)}`;
}

export interface RawEvent {
  Action?: string;
  timeNano?: number | string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** Engine API event → podlike event; the container's labels travel in Actor.Attributes. */
export function toEngineEvent(raw: RawEvent): EngineEvent | undefined {
  const action = raw.Action ?? raw.status ?? "";
  const id = raw.Actor?.ID ?? raw.id ?? "";
  const labels = raw.Actor?.Attributes ?? {};
  // timeNano exceeds 2^53: JSON.parse rounds it, by less than a microsecond, which replaying with `since` tolerates
  const time = raw.timeNano !== undefined ? BigInt(Math.trunc(Number(raw.timeNano))).toString() : undefined;
  const at = time ? { time } : {};
  if (action === "start") return { kind: "start", id, labels, ...at };
  if (action === "die") return { kind: "die", id, labels, exitCode: Number(labels.exitCode ?? 0), ...at };
  if (action.startsWith("health_status")) {
    const health = action.slice(action.indexOf(":") + 1).trim();
    if (isHealth(health)) return { kind: "health", id, labels, health, ...at };
  }
  return undefined;
}
