import type { CliIO } from "../io.js";
import { UsageError } from "../../diagnostics/errors.js";

export async function runConvert(_options: Record<string, unknown>, _io: CliIO): Promise<number> {
  throw new UsageError("'convert' is not available yet");
}
