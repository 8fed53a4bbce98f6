import type { CliIO } from "../io.js";
import { readHealthState, stateFilePath } from "../../controller/health-state.js";

/** `podlike healthcheck`: the pod's health from the controller's state file; exit 0 only when healthy. Loads nothing else. */
export async function runHealthcheck(_argv: string[], io: CliIO): Promise<number> {
  const reading = readHealthState(stateFilePath(io.env));
  if (!reading.ok) {
    io.stdout.write(`unhealthy: ${reading.reason}\n`);
    return 1;
  }
  const { status, components } = reading.state;
  const detail = Object.entries(components ?? {})
    .map(([name, state]) => `${name} ${state}`)
    .join(", ");
  io.stdout.write(`${status}${detail ? `: ${detail}` : ""}\n`);
  return status === "healthy" ? 0 : 1;
}
