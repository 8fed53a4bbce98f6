import { dirname, resolve } from "node:path";
import type { Diagnostic, Loaded } from "../diagnostics/diagnostic.js";
import { readEnvVariables, readServiceEnvironment } from "./env-file.js";
import { resolveExtends } from "./extends.js";
import { findComposeFiles, COMPOSE_FILE_NAMES } from "./find-files.js";
import { applyIncludes, type IncludeSession } from "./include.js";
import { interpolateTree } from "./interpolate.js";
import { firstComposeFile, mergeComposeFiles } from "./merge.js";
import { checkObjectFiles } from "./object-files.js";
import type { ComposeModel, LoadOptions } from "./model.js";
import { parseComposeYaml } from "./parse-yaml.js";
import { resolveRelativePaths } from "./paths.js";
import { readText } from "./read-text.js";
import { isMapping, type Mapping } from "../yaml/mapping.js";
import { setOwn } from "./own-keys.js";

/**
 * Compose files → one ComposeModel. Each file goes through parse →
 * interpolate → relative paths → include → extends on its own; then the files
 * are merged in order (docs/pipeline.md). User mistakes come back as
 * diagnostics, never as exceptions.
 */

export const STDIN_FILE = "<stdin>";

/** Diagnostics about files named on the command line (or missing from the folder): a usage error, exit 2. */
export function isUsageProblem(d: Diagnostic): boolean {
  return (d.code === "FILE_NOT_FOUND" || d.code === "NO_COMPOSE_FILE") && d.at === undefined;
}

interface Session extends IncludeSession {
  /** Files read for `extends`, by absolute path. */
  cache: Map<string, Mapping | string>;
  /** Unset variables are reported once. */
  warned: Set<string>;
}

/** One file through the per-file phases; `dir` is the folder its relative paths start from. */
function loadOneFile(session: Session, file: string, text: string, dir: string): Mapping | undefined {
  const parsed = parseComposeYaml(text, file, { allowEmpty: true });
  session.diagnostics.push(...parsed.diagnostics);
  const raw = parsed.value;
  if (!raw) return undefined;
  interpolateTree(raw, session.variables, session.diagnostics, session.warned);
  resolveRelativePaths(raw, dir, session.home);
  const withIncludes = applyIncludes(session, raw, file, dir, loadOneFile);
  resolveExtends(withIncludes, file, (path) => readOtherFile(session, path), session.diagnostics);
  return withIncludes;
}

/** A file named by `extends.file`: parsed and prepared once, its own diagnostics reported once; a string says why it cannot be read. */
function readOtherFile(session: Session, path: string): Mapping | string {
  const known = session.cache.get(path);
  if (known !== undefined) return known;
  session.cache.set(path, "is being read"); // a file extending itself through another one stops here
  const { text, problem } = readText(path);
  if (text === undefined) {
    session.cache.set(path, problem);
    return problem;
  }
  const parsed = parseComposeYaml(text, path);
  session.diagnostics.push(...parsed.diagnostics);
  const raw = parsed.value;
  if (raw) {
    interpolateTree(raw, session.variables, session.diagnostics, session.warned);
    resolveRelativePaths(raw, dirname(path), session.home);
  }
  const result = raw ?? "is not a valid Compose file";
  session.cache.set(path, result);
  return result;
}

/** The variables interpolation sees: env files in order (later wins), then the environment over them. */
function readVariables(options: LoadOptions, projectDir: string, diagnostics: Diagnostic[]): Record<string, string> | undefined {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env)) if (typeof v === "string") setOwn(env, k, v);
  const named = options.envFiles !== undefined && options.envFiles.length > 0;
  const files = named ? options.envFiles!.map((f) => resolve(options.cwd, f)) : [resolve(projectDir, ".env")];
  const read = readEnvVariables(files, named, env);
  if ("variables" in read) return read.variables;
  if (read.at) diagnostics.push({ code: "ENV_FILE", severity: "error", message: read.problem, at: read.at, hint: read.hint! });
  else diagnostics.push({ code: "FILE_NOT_FOUND", severity: "error", message: `env file ${read.path} ${read.problem}`, hint: "fix the --env-file path" });
  return undefined;
}

/**
 * env_file entries read now, so that lint reports what convert and deploy
 * would meet when they inline them: a required file that cannot be read at
 * its entry, a malformed statement at its line in the env file.
 */
function checkEnvFiles(raw: Mapping, variables: Record<string, string>, diagnostics: Diagnostic[]): void {
  if (!isMapping(raw.services)) return;
  for (const [name, service] of Object.entries(raw.services)) {
    if (!isMapping(service) || service.env_file === undefined) continue;
    diagnostics.push(...readServiceEnvironment(service, variables, ["services", name]).diagnostics);
  }
}

export async function loadProject(options: LoadOptions): Promise<Loaded<ComposeModel | undefined>> {
  const diagnostics: Diagnostic[] = [];
  const cwd = resolve(options.cwd);

  let files: string[];
  if (options.files.length === 0) {
    files = findComposeFiles(cwd);
    if (!files.length) {
      diagnostics.push({
        code: "NO_COMPOSE_FILE",
        severity: "error",
        message: `no Compose file found in ${cwd}`,
        hint: `name one (as an argument or with -f FILE), or create ${COMPOSE_FILE_NAMES[0]}`,
      });
      return { value: undefined, diagnostics };
    }
  } else files = options.files.map((f) => (f === "-" ? STDIN_FILE : resolve(cwd, f)));

  const texts: string[] = [];
  for (const file of files) {
    if (file === STDIN_FILE) {
      if (!options.readStdin) {
        diagnostics.push({ code: "FILE_NOT_FOUND", severity: "error", message: "standard input (-) cannot be read here", hint: "name a file instead of -" });
        return { value: undefined, diagnostics };
      }
      try {
        texts.push(await options.readStdin());
      } catch (error) {
        diagnostics.push({ code: "FILE_NOT_FOUND", severity: "error", message: `standard input (-) cannot be read: ${(error as Error).message}`, hint: "pipe the Compose file in, or name it instead of -" });
        return { value: undefined, diagnostics };
      }
      continue;
    }
    const { text, problem } = readText(file);
    if (text === undefined) {
      diagnostics.push({ code: "FILE_NOT_FOUND", severity: "error", message: `Compose file ${file} ${problem}`, hint: "check the file name and the folder you run podlike in" });
      return { value: undefined, diagnostics };
    }
    texts.push(text);
  }

  const projectDir = files[0] === STDIN_FILE ? cwd : dirname(files[0]!);
  const variables = readVariables(options, projectDir, diagnostics);
  if (!variables) return { value: undefined, diagnostics };

  const session: Session = { variables, home: options.env.HOME ?? variables.HOME, diagnostics, cache: new Map(), warned: new Set(), including: [] };
  let merged: Mapping = {};
  let usable = true;
  files.forEach((file, i) => {
    // As in docker compose, relative paths of every -f file start at the project folder (the first file's)
    const raw = loadOneFile(session, file, texts[i]!, projectDir);
    if (!raw) {
      usable = false;
      return;
    }
    merged = i === 0 ? firstComposeFile(raw) : mergeComposeFiles(merged, raw);
  });
  if (!usable) return { value: undefined, diagnostics };
  if (Object.keys(merged).length === 0) {
    const file = files[0]!;
    diagnostics.push({
      code: "NOT_A_MAPPING",
      severity: "error",
      message: files.length > 1 ? "the Compose files are empty" : `${file} is empty`,
      at: { file, line: 1, col: 1 },
      hint: "a Compose file is a mapping with at least a `services` key",
    });
    return { value: undefined, diagnostics };
  }

  checkEnvFiles(merged, variables, diagnostics);
  diagnostics.push(...checkObjectFiles(merged));
  return { value: { raw: merged, files, projectDir, variables }, diagnostics };
}
