/**
 * How long the controller waits before trying the engine again: quick at
 * first (a restarting engine is often back within a second), then every
 * 2 s, which keeps an outage of minutes down to a few cheap connects.
 */
const FIRST_MS = 250;
const MAX_MS = 2_000;

/** The wait before reconnect attempt `attempt` (0 for the first). */
export function reconnectDelay(attempt: number): number {
  return Math.min(MAX_MS, FIRST_MS * 2 ** Math.min(attempt, 16));
}
