import { relative, isAbsolute } from "node:path";
import type { ChalkInstance } from "chalk";
import { formatPath, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";

export type LintFormat = "stylish" | "json" | "github";

/** A file name as CI systems and editors want it: relative to where podlike ran. */
function displayFile(file: string, cwd: string): string {
  return isAbsolute(file) ? relative(cwd, file) || file : file;
}

/** One finding per object: what `--format json` prints, as an array. */
export interface LintRecord {
  file: string | null;
  line: number | null;
  column: number | null;
  endLine?: number;
  endColumn?: number;
  severity: "error" | "warning";
  code: string;
  message: string;
  hint: string | null;
  path: string | null;
}

export function toRecords(diagnostics: readonly Diagnostic[], cwd: string): LintRecord[] {
  return sortDiagnostics(diagnostics).map((d) => {
    return {
      file: d.at ? displayFile(d.at.file, cwd) : null,
      line: d.at?.line ?? null,
      column: d.at?.col ?? null,
      ...(d.at?.endLine !== undefined ? { endLine: d.at.endLine } : {}),
      ...(d.at?.endCol !== undefined ? { endColumn: d.at.endCol } : {}),
      severity: d.severity,
      code: d.code,
      message: d.message,
      hint: d.hint ?? null,
      path: d.path && d.path.length ? formatPath(d.path) : null,
    };
  });
}

// GitHub workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
const escapeData = (s: string): string => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** `::error file=compose.yml,line=3,col=5,title=SCHEMA::message` lines, which GitHub Actions shows as annotations. */
export function renderGithub(diagnostics: readonly Diagnostic[], cwd: string): string {
  let out = "";
  for (const r of toRecords(diagnostics, cwd)) {
    const props: string[] = [];
    if (r.file !== null) props.push(`file=${escapeProperty(r.file)}`);
    if (r.line !== null) props.push(`line=${r.line}`);
    if (r.column !== null) props.push(`col=${r.column}`);
    if (r.endLine !== undefined) props.push(`endLine=${r.endLine}`);
    if (r.endColumn !== undefined && r.endLine === r.line) props.push(`endColumn=${r.endColumn}`);
    props.push(`title=${escapeProperty(r.code)}`);
    const message = r.hint ? `${r.message}\nfix: ${r.hint}` : r.message;
    out += `::${r.severity} ${props.join(",")}::${escapeData(message)}\n`;
  }
  return out;
}

export function countFindings(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return { errors, warnings: diagnostics.length - errors };
}

/** `✖ 2 errors, 1 warning`, or nothing when there is nothing to say. */
export function renderSummary(diagnostics: readonly Diagnostic[], chalk: ChalkInstance): string {
  const { errors, warnings } = countFindings(diagnostics);
  if (errors + warnings === 0) return "";
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const text = `✖ ${plural(errors, "error")}, ${plural(warnings, "warning")}`;
  return `\n${errors ? chalk.red.bold(text) : chalk.yellow.bold(text)}\n`;
}

/** The findings in the chosen format; chalk (and the stylish renderer) load only for stylish. */
export async function renderLint(
  diagnostics: readonly Diagnostic[],
  format: LintFormat,
  cwd: string,
  color: { off: boolean; stream: { isTTY?: boolean } },
): Promise<string> {
  if (format === "json") return JSON.stringify(toRecords(diagnostics, cwd), null, 2) + "\n";
  if (format === "github") return renderGithub(diagnostics, cwd);
  // a clean file prints nothing: chalk stays unloaded, and so do the streams that asking whether output is a terminal creates
  if (diagnostics.length === 0) return "";
  const { renderStylish, makeChalk } = await import("./render.js");
  const chalk = makeChalk(color.off, color.stream);
  return renderStylish(diagnostics, cwd, chalk) + renderSummary(diagnostics, chalk);
}
