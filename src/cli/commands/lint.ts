import type { CliIO } from "../io.js";
import { colorDisabled } from "../io.js";
import { UsageError } from "../../diagnostics/errors.js";
import { countFindings, renderLint, type LintFormat } from "../lint-format.js";
import { lintProject } from "../../lint/lint.js";
import { isUsageProblem } from "../../compose/load.js";

export interface LintOptions {
  /** positional files */
  args?: string[];
  file?: string[];
  envFile?: string[];
  format?: LintFormat;
  maxWarnings?: number;
  /** false with --no-color */
  color?: boolean;
}

/**
 * `podlike lint`: the findings are the command's output, so they go to
 * standard output in the chosen format. Exit 0 when clean (warnings allowed
 * up to --max-warnings), 1 with any error, 2 on a usage error.
 */
export async function runLint(options: LintOptions, io: CliIO): Promise<number> {
  const files = [...(options.args ?? []), ...(options.file ?? [])];
  if (files.filter((f) => f === "-").length > 1) throw new UsageError("standard input (-) can be read only once");

  const { diagnostics } = await lintProject({
    files,
    cwd: io.cwd,
    env: io.env,
    envFiles: options.envFile,
    readStdin: () => io.readStdin(),
  });
  // a file named on the command line that is missing (or none found) is a usage error, not a finding
  const usage = diagnostics.filter(isUsageProblem);
  if (usage.length) {
    const { renderStylish, makeChalk } = await import("../render.js");
    io.stderr.write(renderStylish(usage, io.cwd, makeChalk(colorDisabled(io, options.color), io.stderr)));
    return 2;
  }

  const format = options.format ?? "stylish";
  io.stdout.write(await renderLint(diagnostics, format, io.cwd, { off: colorDisabled(io, options.color), stream: io.stdout }));

  const { errors, warnings } = countFindings(diagnostics);
  if (errors > 0) return 1;
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    io.stderr.write(`podlike: ${warnings} warning${warnings === 1 ? "" : "s"}, more than --max-warnings ${options.maxWarnings}\n`);
    return 1;
  }
  return 0;
}
