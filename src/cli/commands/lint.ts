import type { CliIO } from "../io.js";
import { UsageError } from "../../diagnostics/errors.js";

export async function runLint(_options: Record<string, unknown>, _io: CliIO): Promise<number> {
  throw new UsageError("'lint' is not available yet");
}
