import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve, relative } from "node:path";
import { createTwoFilesPatch } from "diff";
import type { CliIO } from "../io.js";
import { colorDisabled } from "../io.js";
import { OperationError, UsageError } from "../../diagnostics/errors.js";
import { hasErrors } from "../../diagnostics/diagnostic.js";
import { makeChalk, renderStylish } from "../render.js";
import { isUsageProblem } from "../../compose/load.js";
import { convertProject } from "../../stack/emit.js";

export interface ConvertCliOptions {
  /** positional files */
  args?: string[];
  file?: string[];
  envFile?: string[];
  output?: string;
  check?: boolean;
  controllerImage?: string;
  /** false with --no-color */
  color?: boolean;
}

/**
 * `podlike convert`: the stack goes to standard output (or -o), findings to
 * standard error. Exit 0 when converted (warnings allowed), 1 on any error or
 * a stale --check, 2 on a usage error.
 */
export async function runConvert(options: ConvertCliOptions, io: CliIO): Promise<number> {
  const files = [...(options.args ?? []), ...(options.file ?? [])];
  if (files.filter((f) => f === "-").length > 1) throw new UsageError("standard input (-) can be read only once");
  if (options.check && !options.output) throw new UsageError("--check compares with the file named by -o/--output; name it");
  if (options.controllerImage !== undefined && options.controllerImage.trim() === "") throw new UsageError("--controller-image needs an image name");

  const outputPath = options.output === undefined ? undefined : resolve(io.cwd, options.output);
  const result = await convertProject({
    files,
    cwd: io.cwd,
    env: io.env,
    envFiles: options.envFile,
    readStdin: () => io.readStdin(),
    controllerImage: options.controllerImage,
    // A committed stack must check clean on any checkout: paths relative to where it is written.
    paths: outputPath === undefined ? "project" : { outputDir: dirname(outputPath) },
  });
  // asked only when there is something to print: asking makes node open standard error's stream
  const chalk = () => makeChalk(colorDisabled(io, options.color), io.stderr);
  const usage = result.diagnostics.filter(isUsageProblem);
  if (usage.length) {
    io.stderr.write(renderStylish(usage, io.cwd, chalk()));
    return 2;
  }
  if (result.diagnostics.length) io.stderr.write(renderStylish(result.diagnostics, io.cwd, chalk()));
  if (!result.value || hasErrors(result.diagnostics)) return 1;

  const yaml = result.value.yaml;
  if (outputPath === undefined) {
    io.stdout.write(yaml);
    return 0;
  }
  if (options.check) return checkOutput(outputPath, yaml, io);
  try {
    writeFileSync(outputPath, yaml);
  } catch (error) {
    throw new OperationError(`cannot write ${options.output}: ${(error as Error).message}`, "check that its folder exists and is writable");
  }
  return 0;
}

/** --check: the -o file must hold exactly what convert writes now. */
function checkOutput(outputPath: string, yaml: string, io: CliIO): number {
  let current: string | undefined;
  try {
    current = readFileSync(outputPath, "utf8");
  } catch {
    current = undefined;
  }
  if (current === yaml) return 0;
  const shown = relative(io.cwd, outputPath) || outputPath;
  io.stdout.write(createTwoFilesPatch(shown, `${shown} (converted now)`, current ?? "", yaml));
  io.stderr.write(
    current === undefined
      ? `podlike: ${shown} does not exist; run podlike convert with -o ${shown} to write it\n`
      : `podlike: ${shown} is not up to date with the Compose files; run podlike convert with -o ${shown} to rewrite it\n`,
  );
  return 1;
}
