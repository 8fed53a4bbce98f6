import { processIO, type CliIO } from "./io.js";
import { plainLintOptions } from "./lint-argv.js";
import { reportError } from "./report-error.js";

export { outputQueued } from "./io.js";

/**
 * `podlike lint` in its common forms (plainLintOptions), the entry of a
 * bundle of its own, dist/bundle/lint.cjs: a third of the full CLI's code to
 * read and deserialise, for the command whose run is mostly start-up.
 * Undefined for any other command line, which the full CLI (main.ts) runs.
 */
export async function main(argv: string[], io: CliIO = processIO({ direct: true })): Promise<number | undefined> {
  const options = plainLintOptions(argv);
  if (!options) return undefined;
  try {
    const { runLint } = await import("./commands/lint.js");
    return await runLint(options, io);
  } catch (error) {
    return reportError(error, io);
  }
}
