import type { Diagnostic, DiagnosticCode, Severity, TreePath } from "../diagnostics/index.js";
import { readServiceEnvironment } from "../compose/env-file.js";
import { sourceAt } from "../compose/source-map.js";
import type { PathWriter } from "./output-paths.js";
import { compareFormats, type FormatVersion } from "../keys/service-keys.js";
import { setOwn } from "../compose/own-keys.js";
import { isMapping } from "../yaml/mapping.js";

/** What every emit step shares: the loaded document (for positions) and the findings so far. */
export interface EmitContext {
  raw: Record<string, unknown>;
  diagnostics: Diagnostic[];
  /** How host paths are written into the stack (see output-paths.ts). */
  paths: PathWriter;
  /** The lowest stack file format that holds every key kept so far. */
  format: FormatVersion;
}

/** Records that the stack holds a key of format `version`. */
export function useFormat(ctx: EmitContext, version: FormatVersion): void {
  if (compareFormats(version, ctx.format) > 0) ctx.format = version;
}

export interface Finding {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  path: TreePath;
  hint?: string;
  /** "key" for "this key should not be here" findings. */
  prefer?: "value" | "key";
}

export function report(ctx: EmitContext, finding: Finding): void {
  const { prefer = "value", ...rest } = finding;
  const diagnostic: Diagnostic = { ...rest, at: sourceAt(ctx.raw, finding.path, prefer) };
  if (diagnostic.hint === undefined) delete diagnostic.hint;
  ctx.diagnostics.push(diagnostic);
}

export { isMapping };

/** A shallow copy without symbol-keyed positions, keys sorted. */
export function sortedKeys<T>(value: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(value).sort()) setOwn(out, key, value[key]!);
  return out;
}

/** Plain data, deep-copied (positions are not copied: the output has none). */
export function plainCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => plainCopy(item)) as T;
  if (isMapping(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, plainCopy(v));
    return out as T;
  }
  return value;
}

/**
 * The environment a container gets, env files inlined (their findings
 * reported). A variable without a value is resolved here, from the
 * environment convert runs in; unset, it is left out. Undefined when empty.
 */
export function containerEnvironment(
  ctx: EmitContext,
  service: Record<string, unknown>,
  variables: Record<string, string>,
  servicePath: TreePath,
): Record<string, string> | undefined {
  if (service.env_file === undefined && service.environment === undefined) return undefined;
  const env = readServiceEnvironment(service, variables, servicePath);
  ctx.diagnostics.push(...env.diagnostics);
  const environment = Object.fromEntries(Object.entries(env.environment).filter((entry): entry is [string, string] => entry[1] !== null));
  return Object.keys(environment).length ? environment : undefined;
}
