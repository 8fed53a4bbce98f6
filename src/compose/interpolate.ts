import type { Diagnostic, SourceRef, TreePath } from "../diagnostics/diagnostic.js";
import { formatPath } from "../diagnostics/diagnostic.js";
import { CAST_WORDS, castFor, castString, type Cast } from "./cast.js";
import { place } from "./validate.js";
import { sourceOfEntry } from "./source-map.js";

/**
 * `${VAR}` substitution as Compose does it: `$VAR`, `${VAR}`, `${VAR:-d}`,
 * `${VAR-d}`, `${VAR:?msg}`, `${VAR?msg}`, `${VAR:+alt}`, `${VAR+alt}`,
 * nesting inside defaults, `$$` for a literal `$`. A `$` followed by anything
 * else stays as written. Values are substituted, mapping keys are not.
 */

export interface InterpolationProblem {
  code: "UNSET_VARIABLE" | "REQUIRED_VARIABLE" | "INTERPOLATION";
  variable?: string;
  message: string;
  /** Where in the text the `$` that caused it stands. */
  index: number;
}

export interface Interpolated {
  value: string;
  problems: InterpolationProblem[];
}

export type Lookup = (name: string) => string | undefined;

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const BRACED = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/;

/** The index of the `}` closing a `${` whose body starts at `from`, or -1. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

export function interpolateString(text: string, lookup: Lookup): Interpolated {
  const problems: InterpolationProblem[] = [];
  const value = substitute(text, lookup, problems);
  return { value, problems };
}

function substitute(text: string, lookup: Lookup, problems: InterpolationProblem[], offset = 0): string {
  if (!text.includes("$")) return text;
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== "$") {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
    } else if (next !== undefined && NAME_START.test(next)) {
      let end = i + 2;
      while (end < text.length && NAME_CHAR.test(text[end]!)) end++;
      const name = text.slice(i + 1, end);
      out += valueOf(name, lookup, problems, offset + i);
      i = end;
    } else if (next === "{") {
      const close = closingBrace(text, i + 2);
      if (close < 0) {
        problems.push({ code: "INTERPOLATION", message: `invalid interpolation format: "${text.slice(i)}" has no closing brace`, index: offset + i });
        out += text.slice(i);
        break;
      }
      const body = text.slice(i + 2, close);
      const m = BRACED.exec(body);
      if (!m) {
        problems.push({ code: "INTERPOLATION", message: `invalid interpolation format: "\${${body}}"`, index: offset + i });
        out += text.slice(i, close + 1);
      } else {
        const restAt = offset + i + 2 + m[1]!.length + (m[2]?.length ?? 0);
        out += braced(m[1]!, m[2], m[3] ?? "", lookup, problems, offset + i, restAt);
      }
      i = close + 1;
    } else {
      out += "$";
      i++;
    }
  }
  return out;
}

function valueOf(name: string, lookup: Lookup, problems: InterpolationProblem[], index: number): string {
  const value = lookup(name);
  if (value === undefined) {
    problems.push({ code: "UNSET_VARIABLE", variable: name, message: `the "${name}" variable is not set; using an empty string`, index });
    return "";
  }
  return value;
}

function braced(name: string, op: string | undefined, rest: string, lookup: Lookup, problems: InterpolationProblem[], index: number, restAt: number): string {
  const value = lookup(name);
  switch (op) {
    case undefined:
      return valueOf(name, lookup, problems, index);
    case ":-":
      return value === undefined || value === "" ? substitute(rest, lookup, problems, restAt) : value;
    case "-":
      return value === undefined ? substitute(rest, lookup, problems, restAt) : value;
    case ":+":
      return value === undefined || value === "" ? "" : substitute(rest, lookup, problems, restAt);
    case "+":
      return value === undefined ? "" : substitute(rest, lookup, problems, restAt);
    case ":?":
    case "?": {
      const missing = op === ":?" ? value === undefined || value === "" : value === undefined;
      if (!missing) return value!;
      const reason = substitute(rest, lookup, problems, restAt);
      problems.push({
        code: "REQUIRED_VARIABLE",
        variable: name,
        message: `required variable ${name} is missing a value${reason ? `: ${reason}` : ""}`,
        index,
      });
      return "";
    }
    default:
      return valueOf(name, lookup, problems, index);
  }
}

/**
 * Substitutes every string value of `root` in place (mapping keys are left as
 * written). Findings carry the path and the position of the value.
 */
export function interpolateTree(root: Record<string, unknown>, variables: Record<string, string>, diagnostics: Diagnostic[], warned = new Set<string>()): void {
  const lookup: Lookup = (name) => (Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined);

  const report = (problem: InterpolationProblem, container: object, key: string | number, path: TreePath, written: string): void => {
    if (problem.code === "UNSET_VARIABLE") {
      if (warned.has(problem.variable!)) return;
      warned.add(problem.variable!);
    }
    const at = pointAt(sourceOfEntry(container, key, "value"), written, problem.index);
    const where = formatPath(path);
    const diagnostic: Diagnostic = {
      code: problem.code,
      severity: problem.code === "UNSET_VARIABLE" ? "warning" : "error",
      message: problem.code === "INTERPOLATION" ? `${problem.message} in ${where}` : `${problem.message} (${where})`,
      path,
      ...(at ? { at } : {}),
    };
    if (problem.code === "INTERPOLATION") diagnostic.hint = "write $$ for a literal $";
    else if (problem.code === "UNSET_VARIABLE") diagnostic.hint = `set ${problem.variable} in the environment or in .env, or give a default: \${${problem.variable}:-value}`;
    else diagnostic.hint = `set ${problem.variable} in the environment or in .env`;
    diagnostics.push(diagnostic);
  };

  const reportUncastable = (container: object, key: string | number, path: TreePath, value: string, cast: Cast): void => {
    const { type, fix } = CAST_WORDS[cast];
    const at = sourceOfEntry(container, key, "value");
    diagnostics.push({
      code: "SCHEMA",
      severity: "error",
      message: `${place(path)} must be ${type}, not ${JSON.stringify(value)}`,
      path,
      ...(at ? { at } : {}),
      hint: `write ${fix.replace("%s", String(path[path.length - 1]))}`,
    });
  };

  // one path for the whole walk, copied only into a finding: a large file has hundreds of thousands of entries
  const path: (string | number)[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) visitEntry(node, index, node[index]);
    } else if (typeof node === "object" && node !== null) {
      for (const key of Object.keys(node)) visitEntry(node, key, (node as Record<string, unknown>)[key]);
    }
  };
  const visitEntry = (container: object, key: string | number, item: unknown): void => {
    path.push(key);
    if (typeof item === "string") {
      let value = item;
      if (item.includes("$")) {
        const result = interpolateString(item, lookup);
        for (const problem of result.problems) report(problem, container, key, [...path], item);
        value = result.value;
      }
      const cast = castFor(path);
      if (cast === undefined) {
        if (value !== item) (container as Record<string | number, unknown>)[key] = value;
      } else {
        const typed = castString(cast, value);
        if (typed !== undefined) (container as Record<string | number, unknown>)[key] = typed;
        else reportUncastable(container, key, [...path], value, cast);
      }
    } else walk(item);
    path.pop();
  };
  walk(root);
}

/**
 * The position of the `$` at `index` of `written`, when the value sits on one
 * line and its written width shows how it was quoted (plain, or one quote
 * each side); otherwise the position of the whole value.
 */
function pointAt(at: SourceRef | undefined, written: string, index: number): SourceRef | undefined {
  if (!at || at.endLine !== at.line || at.endCol === undefined) return at;
  const width = at.endCol - at.col;
  if (written.includes("\n")) return at;
  if (width === written.length) return { file: at.file, line: at.line, col: at.col + index };
  if (width === written.length + 2) return { file: at.file, line: at.line, col: at.col + 1 + index };
  return at;
}
