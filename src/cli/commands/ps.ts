import type { CliIO } from "../io.js";
import { UsageError } from "../../diagnostics/errors.js";

export async function runPs(_options: Record<string, unknown>, _io: CliIO): Promise<number> {
  throw new UsageError("'ps' is not available yet");
}
