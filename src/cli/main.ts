import { colorDisabled, processIO, type CliIO } from "./io.js";
import { PodlikeError, UsageError, OperationError, InternalError } from "../diagnostics/errors.js";

/** Runs the CLI and returns the exit code: 0 ok, 1 findings or failure, 2 usage. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  // The controller and its health check run inside the controller image, often
  // every few seconds: they skip commander and everything else the other commands load.
  if (argv[0] === "healthcheck") {
    const { runHealthcheck } = await import("./commands/healthcheck.js");
    return runHealthcheck(argv.slice(1), io);
  }
  if (argv[0] === "controller") {
    const { runController } = await import("./commands/controller.js");
    return guard(() => runController(argv.slice(1), io), io);
  }
  const { buildProgram } = await import("./program.js");
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (typeof code === "string" && code.startsWith("commander.")) {
      // help and version are not errors; everything else commander rejects is a usage error
      if (code === "commander.helpDisplayed" || code === "commander.version" || code === "commander.help") return 0;
      return 2;
    }
    return reportError(error, io);
  }
  return exitCode;
}

async function guard(run: () => Promise<number>, io: CliIO): Promise<number> {
  try {
    return await run();
  } catch (error) {
    return reportError(error, io);
  }
}

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
