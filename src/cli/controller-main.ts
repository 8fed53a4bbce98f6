/**
 * `podlike controller` on its own: the entry of the controller bundle, which
 * bin/podlike runs for that command so the controller's memory holds none of
 * the other commands (the Compose reader, the schema, commander).
 */
import { processIO, type CliIO } from "./io.js";
import { reportError } from "./report-error.js";
import { runController } from "./commands/controller.js";

/** argv starts with "controller"; the exit code as main's. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  try {
    if (argv[1] === "cgroup-setup") {
      const { runCgroupSetup } = await import("./commands/cgroup-setup.js");
      return runCgroupSetup(argv.slice(2), io);
    }
    return await runController(argv.slice(1), io);
  } catch (error) {
    return reportError(error, io);
  }
}
