import type { DiagnosticCode } from "./codes.js";

/** A position in one of the user's files; lines and columns count from 1. */
export interface SourceRef {
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

/** Where a value lives in the (merged) Compose document: ["services", "web", "ports", 0]. */
export type TreePath = readonly (string | number)[];

export type Severity = "error" | "warning";

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  path?: TreePath;
  at?: SourceRef;
  /** What the user can do about it. */
  hint?: string;
}

/** A library result: the value (when one could be made) and every finding on the way. */
export interface Loaded<T> {
  value: T;
  diagnostics: Diagnostic[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Renders a path the way users write it: services.web.ports[0]. */
export function formatPath(path: TreePath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Orders findings by file, line, column, so output is stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.at?.file ?? "";
    const fb = b.at?.file ?? "";
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.at?.line ?? 0;
    const lb = b.at?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.at?.col ?? 0;
    const cb = b.at?.col ?? 0;
    if (ca !== cb) return ca - cb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}
