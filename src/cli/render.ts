import { Chalk, type ChalkInstance } from "chalk";
import { relative, isAbsolute } from "node:path";
import { formatPath, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";

export function makeChalk(colorOff: boolean, stream?: { isTTY?: boolean }): ChalkInstance {
  if (colorOff) return new Chalk({ level: 0 });
  return new Chalk({ level: stream?.isTTY ? 1 : 0 });
}

/** A file as people read it: relative to the working folder when inside it, else absolute. */
function humanFile(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const inside = relative(cwd, file);
  return inside && !inside.startsWith("..") && !isAbsolute(inside) ? inside : file;
}

/** file:line:col, as compilers print it. */
export function formatLocation(d: Diagnostic, cwd: string): string {
  if (!d.at) return d.path ? formatPath(d.path) : "";
  const file = humanFile(d.at.file, cwd);
  return `${file}:${d.at.line}:${d.at.col}`;
}

/**
 * The default human format, one finding per line plus its fix:
 *   compose.yml:12:7: error: service "web": ports[0] must be a string or number [SCHEMA]
 *     fix: ...
 */
export function renderStylish(diagnostics: readonly Diagnostic[], cwd: string, chalk: ChalkInstance): string {
  let out = "";
  for (const d of sortDiagnostics(diagnostics)) {
    const where = formatLocation(d, cwd);
    const severity = d.severity === "error" ? chalk.red("error") : chalk.yellow("warning");
    out += `${where ? chalk.bold(where) + ": " : ""}${severity}: ${d.message} ${chalk.dim(`[${d.code}]`)}\n`;
    if (d.hint) out += `  ${chalk.cyan("fix:")} ${d.hint}\n`;
  }
  return out;
}
