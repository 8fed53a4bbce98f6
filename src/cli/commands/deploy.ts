import type { CliIO } from "../io.js";
import { UsageError } from "../../diagnostics/errors.js";

export async function runDeploy(_options: Record<string, unknown>, _io: CliIO): Promise<number> {
  throw new UsageError("'deploy' is not available yet");
}
