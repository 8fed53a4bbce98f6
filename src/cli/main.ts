import { processIO, type CliIO } from "./io.js";
import { reportError } from "./report-error.js";
import { main as lintMain } from "./lint-main.js";

export { outputQueued } from "./io.js";

/** Commands that write their result and end: their output goes straight to the descriptors (io.ts directOutput). */
const DIRECT_OUTPUT_COMMANDS = new Set(["lint", "convert"]);

/** Runs the CLI and returns the exit code: 0 ok, 1 findings or failure, 2 usage. */
export async function main(argv: string[], io: CliIO = processIO({ direct: DIRECT_OUTPUT_COMMANDS.has(argv[0] ?? "") })): Promise<number> {
  // The controller and its health check run inside the controller image, often
  // every few seconds: they skip commander and everything else the other commands load.
  if (argv[0] === "healthcheck") {
    const { runHealthcheck } = await import("./commands/healthcheck.js");
    return runHealthcheck(argv.slice(1), io);
  }
  if (argv[0] === "controller") {
    const controller = await import("./controller-main.js");
    return controller.main(argv, io);
  }
  const plainLint = await lintMain(argv, io);
  if (plainLint !== undefined) return plainLint;
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
