import { colorDisabled, type CliIO } from "./io.js";
import { PodlikeError, UsageError, OperationError, InternalError } from "../diagnostics/errors.js";

/** Turns an escaped error into a message and exit code. Only a bug prints a stack trace. */
export async function reportError(error: unknown, io: CliIO): Promise<number> {
  if (error instanceof UsageError) {
    io.stderr.write(`podlike: ${error.message}\n`);
    return 2;
  }
  if (error instanceof PodlikeError) {
    const { renderStylish, makeChalk } = await import("./render.js");
    io.stderr.write(renderStylish(error.diagnostics, io.cwd, makeChalk(colorDisabled(io), io.stderr)));
    return 1;
  }
  if (error instanceof OperationError) {
    io.stderr.write(`podlike: ${error.message}\n`);
    if (error.hint) io.stderr.write(`  fix: ${error.hint}\n`);
    return 1;
  }
  const err = error as Error;
  const detail = error instanceof InternalError ? err.message : (err?.stack ?? String(error));
  io.stderr.write(`podlike: internal error: ${detail}\nThis is a bug in podlike; please report it with the command you ran.\n`);
  return 1;
}
