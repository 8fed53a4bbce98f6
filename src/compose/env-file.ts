import type { Diagnostic, SourceRef, TreePath } from "../diagnostics/diagnostic.js";
import { formatPath } from "../diagnostics/diagnostic.js";
import { interpolateString, type Lookup } from "./interpolate.js";
import { normalizeEnvFiles, normalizeEnvironment } from "./normalize.js";
import { getOwn, setOwn } from "./own-keys.js";
import { readText } from "./read-text.js";
import { sourceAt } from "./source-map.js";

/**
 * dotenv files as `docker compose` reads them (compose-go's dotenv parser):
 * `#` comment lines, an optional `export ` prefix, `KEY=value` or `KEY: value`,
 * names of letters, digits and `_ . - [ ]`. 'Single quotes' are literal except
 * for an escaped quote; "double quotes" may span lines and expand \a \b \f \n
 * \r \t \v \\ \" \$ and octal \0NNN; unquoted values end at the line and
 * at " #". ${VAR} is substituted in double-quoted and unquoted values, from
 * `lookup` first, then from the keys read before it. A bare `KEY` takes its
 * value from `lookup` and is skipped when that has none. The first malformed
 * statement stops the file, as in docker compose, and is reported at its line.
 */

export interface EnvFileProblem {
  line: number;
  col: number;
  message: string;
  hint: string;
}

export interface ParsedEnvFile {
  values: Map<string, string>;
  problem?: EnvFileProblem;
}

/** Space other than a line break (compose-go's isSpace). */
const isSpace = (c: string): boolean => c === " " || c === "\t" || c === "\v" || c === "\f" || c === "\r" || c === "\u0085" || c === "\u00a0";
let keyChar: RegExp | undefined;
/** A character a variable name may hold. Its Unicode classes take V8 a while to build, so only a lint that reads an env file builds them. */
const isKeyChar = (c: string): boolean => (keyChar ??= /^[\p{L}\p{N}_.\-[\]]$/u).test(c);
const EXPORT = /export[ \t\v\f\r]+/y;
const ESCAPE = /\\(?:[abcfnrtv$"\\]|0[0-9]{0,3})/g;
const SIMPLE_ESCAPES: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", '"': '"', "\\": "\\" };

/** Shell escapes of a double-quoted value; `\$` becomes `$$` so that substitution leaves a literal `$`. */
function expandEscapes(value: string): string {
  return value.replace(ESCAPE, (match) => {
    const c = match[1]!;
    if (c === "$") return "$$";
    if (c === "0") {
      // \0NNN: exactly three octal digits, at most \0377; anything else stays as written
      const digits = match.slice(2);
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 0o377) return match;
      return String.fromCharCode(parseInt(digits, 8));
    }
    return SIMPLE_ESCAPES[c] ?? match;
  });
}

function position(text: string, index: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: index - start + 1 };
}

export function parseEnvFile(text: string, lookup: Lookup = () => undefined, options: { raw?: boolean; into?: Map<string, string> } = {}): ParsedEnvFile {
  const values = options.into ?? new Map<string, string>();
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const fail = (index: number, message: string, hint: string): ParsedEnvFile => ({ values, problem: { ...position(src, index), message, hint } });
  const resolve: Lookup = (name) => lookup(name) ?? values.get(name);
  const expand = (value: string, at: number, exact: boolean): EnvFileProblem | string => {
    if (options.raw || !value.includes("$")) return value;
    const result = interpolateString(value, resolve);
    const problem = result.problems.find((p) => p.code !== "UNSET_VARIABLE");
    if (!problem) return result.value;
    const hint =
      problem.code === "REQUIRED_VARIABLE"
        ? `set ${problem.variable} in the environment (or earlier in the env files), or write $$ for a literal $`
        : "write $$ (or \\$ in double quotes) for a literal $";
    return { ...position(src, exact ? at + problem.index : at), message: problem.message, hint };
  };

  let i = 0;
  for (;;) {
    while (i < src.length && /\s/.test(src[i]!)) i++;
    if (i >= src.length) break;
    if (src[i] === "#") {
      const end = src.indexOf("\n", i);
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    EXPORT.lastIndex = i;
    if (EXPORT.test(src)) i = EXPORT.lastIndex;

    // the name, up to "=", ":" or the end of the line (a bare name)
    const start = i;
    let end = -1;
    let separator = "";
    for (let j = i; j < src.length; ) {
      const c = String.fromCodePoint(src.codePointAt(j)!);
      if (c === "=" || c === ":" || c === "\n") {
        end = j;
        separator = c;
        break;
      }
      if (!isSpace(c) && !isKeyChar(c)) {
        const lineEnd = src.indexOf("\n", start);
        const statement = src.slice(start, lineEnd < 0 ? src.length : lineEnd);
        return fail(j, `unexpected character ${JSON.stringify(c)} in variable name ${JSON.stringify(statement)}`, "names hold letters, digits, _ . - [ ]; quote a value that holds other characters: KEY=\"value\"");
      }
      j += c.length;
    }
    // a bare name on the last line, without a line break after it
    if (end < 0) {
      end = src.length;
      separator = "\n";
    }
    const key = src.slice(start, end).replace(/\s+$/u, "");
    if (key.includes(" ")) return fail(start + key.indexOf(" "), `variable name ${JSON.stringify(key)} cannot contain a space`, "remove the space, or write the line as KEY=value");

    if (separator === "\n") {
      const value = lookup(key);
      if (value !== undefined) values.set(key, value);
      i = end + 1;
      continue;
    }

    let v = end + 1;
    while (v < src.length && isSpace(src[v]!)) v++;
    const quote = src[v];
    if (quote === '"' || quote === "'") {
      let chars = "";
      let escaped = false;
      let close = -1;
      for (let k = v + 1; k < src.length; k++) {
        const c = src[k]!;
        if (c !== quote) {
          if (!escaped && c === "\\") {
            escaped = true;
            continue;
          }
          if (escaped) {
            escaped = false;
            chars += "\\";
          }
          chars += c;
          continue;
        }
        if (escaped) {
          escaped = false;
          chars += c;
          continue;
        }
        close = k;
        break;
      }
      if (close < 0) {
        const lineEnd = src.indexOf("\n", v);
        const written = src.slice(v, lineEnd < 0 ? src.length : lineEnd);
        return fail(v, `unterminated quoted value ${written}`, `close the value with ${quote}, or escape a ${quote} inside it as \\${quote}`);
      }
      if (quote === '"') {
        const value = expand(expandEscapes(chars), v, false);
        if (typeof value !== "string") return { values, problem: value };
        values.set(key, value);
      } else values.set(key, chars);
      i = close + 1;
      continue;
    }

    const lineEnd = src.indexOf("\n", v) < 0 ? src.length : src.indexOf("\n", v);
    let written = src.slice(v, lineEnd);
    const comment = written.indexOf(" #");
    if (comment >= 0) written = written.slice(0, comment);
    written = written.replace(/\s+$/u, "");
    const value = expand(written, v, true);
    if (typeof value !== "string") return { values, problem: value };
    values.set(key, value);
    i = lineEnd + 1;
  }
  return { values };
}

/** Where in an env file a problem stands, for a diagnostic. */
function problemAt(file: string, problem: EnvFileProblem): SourceRef {
  return { file, line: problem.line, col: problem.col };
}

export type EnvFilesRead = { variables: Record<string, string> } | { path: string; problem: string; at?: SourceRef; hint?: string };

/**
 * Interpolation variables from env files read in order, as docker compose
 * does with `--env-file` (or `.env`): each file's `${VAR}` sees `outer`
 * first, then the values read before it, in this file or an earlier one;
 * a later file's value wins; `outer` is over them all. Unless the files were
 * `named` by the user, an absent file (or a folder) is skipped; otherwise the
 * first file that cannot be read or parsed is returned.
 */
export function readEnvVariables(files: readonly string[], named: boolean, outer: Record<string, string>): EnvFilesRead {
  const fromFiles = new Map<string, string>();
  const lookup: Lookup = (name) => getOwn(outer, name);
  for (const path of files) {
    const { text, problem } = readText(path);
    if (text === undefined) {
      if (!named && (problem === "does not exist" || problem === "is a folder, not a file")) continue;
      return { path, problem };
    }
    const parsed = parseEnvFile(text, lookup, { into: fromFiles });
    if (parsed.problem) return { path, problem: parsed.problem.message, at: problemAt(path, parsed.problem), hint: parsed.problem.hint };
  }
  const variables: Record<string, string> = {};
  for (const [key, value] of fromFiles) setOwn(variables, key, value);
  for (const [key, value] of Object.entries(outer)) setOwn(variables, key, value);
  return { variables };
}

export interface ServiceEnvironment {
  environment: Record<string, string | null>;
  diagnostics: Diagnostic[];
}

/**
 * The environment a service's container gets: its `env_file` entries (paths
 * already absolute) read in order, then `environment` on top. An entry of
 * `environment` without a value takes it from `variables` when set. In an
 * env file, `${VAR}` sees `variables`, then the service's `environment`,
 * then the values read before it (as docker compose resolves them).
 * `servicePath` (["services", name]) is only used for messages; positions come
 * from the service's own source record.
 */
export function readServiceEnvironment(
  service: Record<string, unknown>,
  variables: Record<string, string>,
  servicePath: TreePath = [],
): ServiceEnvironment {
  const diagnostics: Diagnostic[] = [];
  const own: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(normalizeEnvironment(service.environment))) {
    setOwn(own, key, value === null ? (getOwn(variables, key) ?? null) : value);
  }
  const fromFiles = new Map<string, string>();
  const lookup: Lookup = (name) => getOwn(variables, name) ?? getOwn(own, name) ?? undefined;
  normalizeEnvFiles(service.env_file).forEach((entry, index) => {
    const { text, problem } = readText(entry.path);
    if (text === undefined) {
      if (problem === "does not exist" && !entry.required) return;
      diagnostics.push(envFileProblem(service, servicePath, index, entry.path, problem));
      return;
    }
    const parsed = parseEnvFile(text, lookup, { raw: entry.format === "raw", into: fromFiles });
    if (parsed.problem) diagnostics.push(envFileSyntaxProblem(servicePath, entry.path, parsed.problem));
  });
  const environment: Record<string, string | null> = {};
  for (const [key, value] of fromFiles) setOwn(environment, key, value);
  for (const [key, value] of Object.entries(own)) setOwn(environment, key, value);
  return { environment, diagnostics };
}

/** The ENV_FILE finding for entry `index` of `service.env_file`, placed at that entry. */
export function envFileProblem(service: Record<string, unknown>, servicePath: TreePath, index: number, path: string, problem: string): Diagnostic {
  const listed = Array.isArray(service.env_file);
  const entryPath: (string | number)[] = listed ? ["env_file", index] : ["env_file"];
  const at = sourceAt(service, entryPath);
  const name = servicePath.length ? ` of ${formatPath(servicePath)}` : "";
  return {
    code: "ENV_FILE",
    severity: "error",
    message: `env_file ${path}${name} ${problem}`,
    path: [...servicePath, ...entryPath],
    ...(at ? { at } : {}),
    hint:
      problem === "does not exist"
        ? "create the file, fix the path (relative paths start at the Compose file's folder), or mark it `required: false`"
        : "name a regular file (not a device, FIFO or folder) of a reasonable size",
  };
}

/** The ENV_FILE finding for a malformed statement of an env file, placed at its line in that file. */
export function envFileSyntaxProblem(servicePath: TreePath, path: string, problem: EnvFileProblem): Diagnostic {
  const name = servicePath.length ? ` (env_file of ${formatPath(servicePath)})` : "";
  return { code: "ENV_FILE", severity: "error", message: `${problem.message}${name}`, path: [...servicePath, "env_file"], at: problemAt(path, problem), hint: problem.hint };
}
