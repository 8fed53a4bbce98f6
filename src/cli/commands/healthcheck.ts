import type { CliIO } from "../io.js";

export async function runHealthcheck(_argv: string[], io: CliIO): Promise<number> {
  io.stderr.write("podlike: 'healthcheck' is not available yet\n");
  return 1;
}
