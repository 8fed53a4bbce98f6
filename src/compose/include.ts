import { dirname, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { readEnvVariables } from "./env-file.js";
import { mergeComposeFiles, mergeResourceDefinitions } from "./merge.js";
import { expandPath } from "./paths.js";
import { readText } from "./read-text.js";
import { copyEntrySource, recordSelf, sourceAt, sourceOfSelf, withoutKey } from "./source-map.js";
import { isMapping, type Mapping } from "../yaml/mapping.js";
import { setOwn } from "./own-keys.js";

/** What an include needs from the load in progress. */
export interface IncludeSession {
  variables: Record<string, string>;
  home: string | undefined;
  diagnostics: Diagnostic[];
  /** The files whose includes are being read, to stop loops. */
  including: string[];
}

/** Runs the per-file phases on an included file; `dir` is where its relative paths start. */
export type LoadIncludedFile<S extends IncludeSession> = (session: S, file: string, text: string, dir: string) => Mapping | undefined;

const INCLUDED_SECTIONS = ["services", "volumes", "networks", "secrets", "configs"] as const;

/**
 * Top-level `include:` as Compose reads it: a list of paths or of
 * `{path, project_directory, env_file}`. Each included project is loaded on
 * its own (its paths start at its project folder, its own .env fills variables
 * the including project leaves unset) and its services, volumes, networks,
 * secrets and configs are added to the including file. A resource the
 * including file (or an earlier include) also defines is merged: the
 * definition already there over the imported one, with the rules of
 * merge.ts (!reset and !override included), as current docker compose does.
 */
export function applyIncludes<S extends IncludeSession>(session: S, raw: Mapping, file: string, dir: string, loadFile: LoadIncludedFile<S>): Mapping {
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

    const child: S = { ...session, variables, including: [...session.including, file] };
    let imported: Mapping = {};
    for (const [i, path] of files.entries()) {
      const { text, problem: unreadable } = readText(path);
      if (text === undefined) {
        if (unreadable === "does not exist") problem(`included file ${path} ${unreadable}`, ["include", index], "fix the path (relative to the file that includes it)", "FILE_NOT_FOUND");
        else problem(`included file ${path} ${unreadable}`, ["include", index], "include a regular Compose file");
        return;
      }
      const loaded = loadFile(child, path, text, projectDir);
      if (!loaded) return;
      resolveListedEnvironment(loaded, variables);
      imported = i === 0 ? loaded : mergeComposeFiles(imported, loaded);
    }
    importResources(imported, own);
  });
  return own;
}

/**
 * The variables an included project sees: the including project's, then its
 * env files (or its own .env) for the rest. `/dev/null` names no file, as in
 * docker compose (a way to say "not even the included project's .env").
 */
function includedVariables(session: IncludeSession, envFile: unknown, dir: string, projectDir: string, fail: (message: string) => void): Record<string, string> | undefined {
  const named = typeof envFile === "string" ? [envFile] : Array.isArray(envFile) ? envFile.filter((f): f is string => typeof f === "string") : [];
  const files = named.length ? named.filter((f) => f !== "/dev/null").map((f) => expandPath(f, dir, session.home)) : [resolve(projectDir, ".env")];
  const read = readEnvVariables(files, named.length > 0, session.variables);
  if ("variables" in read) return read.variables;
  if (read.at) session.diagnostics.push({ code: "ENV_FILE", severity: "error", message: read.problem, at: read.at, hint: read.hint! });
  else fail(`env file ${read.path} ${read.problem}`);
  return undefined;
}

/**
 * A listed `environment: [VAR]` entry of an included service takes its value
 * from the included project's variables (its env_file), as docker compose
 * resolves each file with the environment it was loaded with. Unset ones stay
 * bare; the mapping form (`VAR:`) is left to the including project, as there.
 */
function resolveListedEnvironment(raw: Mapping, variables: Record<string, string>): void {
  if (!isMapping(raw.services)) return;
  for (const service of Object.values(raw.services)) {
    if (!isMapping(service) || !Array.isArray(service.environment)) continue;
    const environment = service.environment;
    environment.forEach((entry, index) => {
      if (typeof entry !== "string" || entry.includes("=") || !Object.hasOwn(variables, entry)) return;
      environment[index] = `${entry}=${variables[entry]}`;
    });
  }
}

function importResources(imported: Mapping, target: Mapping): void {
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
      if (Object.hasOwn(into, name)) {
        // docker compose merges the definition already there (the including file's own, or an earlier include's) over the imported one
        if (isDeepStrictEqual(into[name], definition)) continue;
        const own = into[name];
        const merged = mergeResourceDefinitions(section, name, definition, own);
        const self = typeof own === "object" && own !== null ? sourceOfSelf(own) : undefined;
        if (self) recordSelf(merged, self);
        setOwn(into, name, merged);
        continue;
      }
      setOwn(into, name, definition);
      copyEntrySource(from, name, into, name);
    }
  }
}
