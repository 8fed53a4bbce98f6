import type { CliIO } from "../io.js";
import { UsageError } from "../../diagnostics/errors.js";

export async function runController(_argv: string[], _io: CliIO): Promise<number> {
  throw new UsageError("'controller' is not available yet");
}
