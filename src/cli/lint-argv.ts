import type { LintOptions } from "./commands/lint.js";
import type { LintFormat } from "./lint-format.js";

const FORMATS: readonly string[] = ["stylish", "json", "github"] satisfies LintFormat[];

/**
 * The options of `podlike lint ...` read without commander, for the common
 * forms only: files (and "-"), `--format <format>` and `--no-color`.
 * Evaluating commander and building the program was a tenth of a small
 * lint's start-up. Anything else (help, other options, `--opt=value`, `--`,
 * a format lint does not know) is undefined and goes to commander, which
 * parses these forms to the same options (test/cli/lint-argv.test.ts).
 */
export function plainLintOptions(argv: readonly string[]): LintOptions | undefined {
  if (argv[0] !== "lint") return undefined;
  const options: LintOptions = { format: "stylish", color: true, args: [] };
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-" || !arg.startsWith("-")) options.args!.push(arg);
    else if (arg === "--no-color") options.color = false;
    else if (arg === "--format" && i + 1 < argv.length && FORMATS.includes(argv[i + 1]!)) options.format = argv[++i] as LintFormat;
    else return undefined;
  }
  return options;
}
