import type { CliIO } from "../io.js";
import { UsageError } from "../../diagnostics/errors.js";

export async function runRm(_options: Record<string, unknown>, _io: CliIO): Promise<number> {
  throw new UsageError("'rm' is not available yet");
}
