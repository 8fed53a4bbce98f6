/**
 * PODLIKE_TRACE_START=1: the controller says on stderr when each step of the
 * pod's start happened, on the node's wall clock (the engine's events use the
 * same clock), so bench/pod-start-steps.mjs can tell where a start's time
 * goes. The first line gives the process's own start. Off, it costs nothing.
 */
export type StartTrace = (step: string) => void;

export const TRACE_MARKER = "podlike: trace ";

export function createStartTrace(env: Record<string, string | undefined>, write: (line: string) => void): StartTrace {
  if (!env.PODLIKE_TRACE_START) return () => {};
  const line = (at: number, step: string) => write(`${TRACE_MARKER}${at.toFixed(1)} ${step}\n`);
  line(performance.timeOrigin, "process start");
  return (step) => line(performance.timeOrigin + performance.now(), step);
}
