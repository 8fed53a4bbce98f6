import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { formatPath } from "../diagnostics/diagnostic.js";
import type { Diagnostic, Loaded } from "../diagnostics/diagnostic.js";
import { parseEnvFile, envFileProblem } from "./env-file.js";
import { resolveExtends } from "./extends.js";
import { findComposeFiles, COMPOSE_FILE_NAMES } from "./find-files.js";
import { interpolateTree } from "./interpolate.js";
import { mergeComposeFiles } from "./merge.js";
import type { ComposeModel, LoadOptions } from "./model.js";
import { normalizeEnvFiles } from "./normalize.js";
import { parseComposeYaml } from "./parse-yaml.js";
import { expandPath, resolveRelativePaths } from "./paths.js";
import { copyEntrySource, recordSelf, sourceAt, sourceOfSelf } from "./source-map.js";

/**
 * Compose files → one ComposeModel. Each file goes through parse →
 * interpolate → relative paths → include → extends on its own; then the files
 * are merged in order (docs/pipeline.md). User mistakes come back as
 * diagnostics, never as exceptions.
 */

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => typeof v === "object" && v !== null && !Array.isArray(v);

export const STDIN_FILE = "<stdin>";

/** Diagnostics about files named on the command line (or missing from the folder): a usage error, exit 2. */
export function isUsageProblem(d: Diagnostic): boolean {
  return (d.code === "FILE_NOT_FOUND" || d.code === "NO_COMPOSE_FILE") && d.at === undefined;
}

function readText(path: string): { text?: string; problem?: string } {
  try {
    if (statSync(path).isDirectory()) return { problem: "is a folder, not a file" };
    return { text: readFileSync(path, "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === "ENOENT" ? "does not exist" : `cannot be read (${(error as Error).message})` };
  }
}

interface Session {
  variables: Record<string, string>;
  home: string | undefined;
  diagnostics: Diagnostic[];
  /** Files read for `extends` / `include`, by absolute path. */
  cache: Map<string, Mapping | undefined>;
  /** Unset variables are reported once. */
  warned: Set<string>;
  /** Files being included, to stop include loops. */
  including: string[];
}

/** One file through the per-file phases; `dir` is the folder its relative paths start from. */
function loadOneFile(session: Session, file: string, text: string, dir: string): Mapping | undefined {
  const parsed = parseComposeYaml(text, file, { allowEmpty: true });
  session.diagnostics.push(...parsed.diagnostics);
  const raw = parsed.value;
  if (!raw) return undefined;
  interpolateTree(raw, session.variables, session.diagnostics, session.warned);
  resolveRelativePaths(raw, dir, session.home);
  const withIncludes = applyIncludes(session, raw, file, dir);
  resolveExtends(withIncludes, file, (path) => readOtherFile(session, path), session.diagnostics);
  return withIncludes;
}

/** A file named by `extends.file`: parsed and prepared once, its own diagnostics reported once. */
function readOtherFile(session: Session, path: string): Mapping | undefined {
  if (session.cache.has(path)) return session.cache.get(path);
  session.cache.set(path, undefined); // a file extending itself through another one stops here
  const { text } = readText(path);
  if (text === undefined) return undefined;
  const parsed = parseComposeYaml(text, path);
  session.diagnostics.push(...parsed.diagnostics);
  const raw = parsed.value;
  if (raw) {
    interpolateTree(raw, session.variables, session.diagnostics, session.warned);
    resolveRelativePaths(raw, dirname(path), session.home);
  }
  session.cache.set(path, raw);
  return raw;
}

const INCLUDED_SECTIONS = ["services", "volumes", "networks", "secrets", "configs"] as const;

/**
 * Top-level `include:` as Compose reads it: a list of paths or of
 * `{path, project_directory, env_file}`. Each included project is loaded on
 * its own (its paths start at its project folder, its own .env fills variables
 * the including project leaves unset) and its services, volumes, networks,
 * secrets and configs are added to the including file. Defining the same
 * resource differently in both is an INCLUDE error (the including file's
 * definition is kept).
 */
function applyIncludes(session: Session, raw: Mapping, file: string, dir: string): Mapping {
  const include = raw.include;
  if (include === undefined || include === null) return withoutKey(raw, "include");
  const problem = (message: string, path: (string | number)[], hint: string, code: "INCLUDE" | "FILE_NOT_FOUND" = "INCLUDE"): void => {
    const at = sourceAt(raw, path);
    session.diagnostics.push({ code, severity: "error", message, path, ...(at ? { at } : {}), hint });
  };
  if (!Array.isArray(include)) {
    problem("include must be a list of files", ["include"], "write include: [path/to/other.yaml]");
    return withoutKey(raw, "include");
  }
  const own = withoutKey(raw, "include");
  include.forEach((entry, index) => {
    const spec = typeof entry === "string" ? { path: entry } : isMapping(entry) ? entry : {};
    const paths = typeof spec.path === "string" ? [spec.path] : Array.isArray(spec.path) ? spec.path : [];
    if (!paths.length || paths.some((p) => typeof p !== "string")) {
      problem("an include entry is a path or a mapping with `path`", ["include", index], "write include: [path/to/other.yaml]");
      return;
    }
    const files = (paths as string[]).map((p) => expandPath(p, dir, session.home));
    const loop = files.find((f) => f === file || session.including.includes(f));
    if (loop) {
      problem(`include loops back to ${loop}`, ["include", index], "remove the include that closes the loop");
      return;
    }
    const projectDir = typeof spec.project_directory === "string" ? expandPath(spec.project_directory, dir, session.home) : dirname(files[0]!);
    const variables = includedVariables(session, spec.env_file, dir, projectDir, (message) => problem(message, ["include", index, "env_file"], "fix the env_file path of this include"));
    if (!variables) return;

    const child: Session = { ...session, variables, including: [...session.including, file] };
    let imported: Mapping = {};
    for (const [i, path] of files.entries()) {
      const { text, problem: unreadable } = readText(path);
      if (text === undefined) {
        problem(`included file ${path} ${unreadable}`, ["include", index], "fix the path (relative to the file that includes it)", "FILE_NOT_FOUND");
        return;
      }
      const loaded = loadOneFile(child, path, text, projectDir);
      if (!loaded) return;
      imported = i === 0 ? loaded : mergeComposeFiles(imported, loaded);
    }
    importResources(session, imported, own, ["include", index]);
  });
  return own;
}

/** The variables an included project sees: the including project's, then its env files (or its own .env) for the rest. */
function includedVariables(session: Session, envFile: unknown, dir: string, projectDir: string, fail: (message: string) => void): Record<string, string> | undefined {
  const named = typeof envFile === "string" ? [envFile] : Array.isArray(envFile) ? envFile.filter((f): f is string => typeof f === "string") : [];
  const files = named.length ? named.map((f) => expandPath(f, dir, session.home)) : [resolve(projectDir, ".env")];
  const fromFiles: Record<string, string> = {};
  for (const path of files) {
    if (!named.length && !existsSync(path)) continue;
    const { text, problem } = readText(path);
    if (text === undefined) {
      if (!named.length) continue;
      fail(`env file ${path} ${problem}`);
      return undefined;
    }
    Object.assign(fromFiles, parseEnvFile(text, { ...fromFiles, ...session.variables }));
  }
  return { ...fromFiles, ...session.variables };
}

function importResources(session: Session, imported: Mapping, target: Mapping, includePath: (string | number)[]): void {
  for (const section of INCLUDED_SECTIONS) {
    const from = imported[section];
    if (!isMapping(from)) continue;
    let to = target[section];
    if (!isMapping(to)) {
      to = {};
      const self = sourceOfSelf(from);
      if (self) recordSelf(to as Mapping, self);
      target[section] = to;
      copyEntrySource(imported, section, target, section);
    }
    const into = to as Mapping;
    for (const [name, definition] of Object.entries(from)) {
      if (Object.prototype.hasOwnProperty.call(into, name)) {
        if (isDeepStrictEqual(into[name], definition)) continue;
        const at = sourceAt(target, [section, name], "key");
        session.diagnostics.push({
          code: "INCLUDE",
          severity: "error",
          message: `${section}.${name} is also defined, differently, by an included file (${formatPath(includePath)})`,
          path: [section, name],
          ...(at ? { at } : {}),
          hint: "define it in one place; to change an included definition, use an override file (-f)",
        });
        continue;
      }
      into[name] = definition;
      copyEntrySource(from, name, into, name);
    }
  }
}

function withoutKey(raw: Mapping, key: string): Mapping {
  const out: Mapping = {};
  for (const [k, v] of Object.entries(raw)) if (k !== key) out[k] = v;
  return withSourcesOf(raw, out);
}

function withSourcesOf(from: Mapping, to: Mapping): Mapping {
  // keep the positions of the entries that stay
  for (const key of Object.keys(to)) copyEntrySource(from, key, to, key);
  const self = sourceOfSelf(from);
  if (self) recordSelf(to, self);
  return to;
}

/** The variables interpolation sees: env files in order (later wins), then the environment over them. */
function readVariables(options: LoadOptions, projectDir: string, diagnostics: Diagnostic[]): Record<string, string> | undefined {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env)) if (typeof v === "string") env[k] = v;
  const fromFiles: Record<string, string> = {};
  const named = options.envFiles && options.envFiles.length > 0;
  const files = named ? options.envFiles!.map((f) => resolve(options.cwd, f)) : [resolve(projectDir, ".env")];
  for (const path of files) {
    if (!named && !existsSync(path)) continue;
    const { text, problem } = readText(path);
    if (text === undefined) {
      if (!named && problem === "is a folder, not a file") continue;
      diagnostics.push({ code: "FILE_NOT_FOUND", severity: "error", message: `env file ${path} ${problem}`, hint: "fix the --env-file path" });
      return undefined;
    }
    Object.assign(fromFiles, parseEnvFile(text, { ...fromFiles, ...env }));
  }
  return { ...fromFiles, ...env };
}

/** env_file entries that must exist: reported at their position (convert inlines them later). */
function checkEnvFiles(raw: Mapping, diagnostics: Diagnostic[]): void {
  if (!isMapping(raw.services)) return;
  for (const [name, service] of Object.entries(raw.services)) {
    if (!isMapping(service)) continue;
    normalizeEnvFiles(service.env_file).forEach((entry, index) => {
      if (!entry.required) return;
      const { problem } = readText(entry.path);
      if (problem) diagnostics.push(envFileProblem(service, ["services", name], index, entry.path, problem));
    });
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
        hint: `name one (podlike lint FILE, or -f FILE), or create ${COMPOSE_FILE_NAMES[0]}`,
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
    merged = mergeComposeFiles(merged, raw);
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

  checkEnvFiles(merged, diagnostics);
  return { value: { raw: merged, files, projectDir, variables }, diagnostics };
}
