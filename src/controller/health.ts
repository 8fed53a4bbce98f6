/** The pod's health from its components' states. Pure. */
import type { HealthStatus } from "../engine/container-engine.js";

export type PodHealth = "starting" | "healthy" | "unhealthy";

export interface ComponentHealthState {
  name: string;
  running: boolean;
  /** undefined when the component has no health check. */
  health?: HealthStatus;
}

/**
 * healthy: every component running and, where it has a health check, healthy.
 * unhealthy: a component reports unhealthy or is not running once the pod is up.
 * starting: the pod is still starting, or a health check has not decided yet.
 */
export function aggregate(states: readonly ComponentHealthState[], podStarted: boolean): PodHealth {
  if (states.some((s) => s.health === "unhealthy")) return "unhealthy";
  if (!podStarted) return "starting";
  if (states.some((s) => !s.running)) return "unhealthy";
  if (states.some((s) => s.health === "starting")) return "starting";
  return "healthy";
}
