import type { Diagnostic, TreePath } from "../diagnostics/diagnostic.js";
import { formatPath } from "../diagnostics/diagnostic.js";
import { interpolateString } from "./interpolate.js";
import { normalizeEnvFiles, normalizeEnvironment } from "./normalize.js";
import { readText } from "./read-text.js";
import { sourceAt } from "./source-map.js";

/**
 * dotenv files as `docker compose` reads them: `#` comments, an optional
 * `export ` prefix, 'single quotes' taken literally, "double quotes" with
 * escapes (\n, \t, \", \\) and possibly spanning lines, unquoted values cut
 * at " #", and ${VAR} substituted in double-quoted and unquoted values from
 * `lookup` first, then from keys defined earlier in the file. A bare `KEY`
 * takes its value from `lookup` and is skipped when that has none.
 */
export function parseEnvFile(text: string, lookup: Record<string, string> = {}, options: { raw?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const resolve = (name: string): string | undefined =>
    Object.prototype.hasOwnProperty.call(lookup, name) ? lookup[name] : Object.prototype.hasOwnProperty.call(out, name) ? out[name] : undefined;
  const expand = (value: string): string => (options.raw ? value : interpolateString(value, resolve).value);
  const set = (key: string, value: string): void => {
    if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  };

  const src = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let i = 0;
  while (i < src.length) {
    const lineEnd = src.indexOf("\n", i) < 0 ? src.length : src.indexOf("\n", i);
    const line = src.slice(i, lineEnd);
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) {
      i = lineEnd + 1;
      continue;
    }
    let body = line.replace(/^\s+/, "");
    if (/^export\s+/.test(body)) body = body.replace(/^export\s+/, "");
    const eq = body.indexOf("=");
    if (eq < 0) {
      const key = body.trim();
      if (/^[^\s#]+$/.test(key)) {
        const value = resolve(key);
        if (value !== undefined) set(key, value);
      }
      i = lineEnd + 1;
      continue;
    }
    const key = body.slice(0, eq).trim();
    // start of the value in `src`
    let pos = lineEnd - (body.length - eq - 1);
    while (pos < lineEnd && (src[pos] === " " || src[pos] === "\t")) pos++;
    const quote = src[pos];
    if (quote === "'" || quote === '"') {
      let value = "";
      let j = pos + 1;
      let closed = false;
      while (j < src.length) {
        const c = src[j]!;
        if (c === quote) {
          closed = true;
          break;
        }
        if (quote === '"' && c === "\\" && j + 1 < src.length) {
          const n = src[j + 1]!;
          value += n === "n" ? "\n" : n === "r" ? "\r" : n === "t" ? "\t" : n === '"' || n === "\\" ? n : n === "$" ? "$$" : `\\${n}`;
          j += 2;
          continue;
        }
        if (quote === '"' && c === "$" && src[j + 1] === "$") {
          value += "$$";
          j += 2;
          continue;
        }
        value += c;
        j++;
      }
      if (!closed) {
        // an unterminated quote: read the rest of the line as written
        if (key) set(key, expand(line.slice(line.indexOf(quote) + 1)));
        i = lineEnd + 1;
        continue;
      }
      if (key) set(key, quote === "'" ? value : expand(value));
      const after = src.indexOf("\n", j);
      i = after < 0 ? src.length : after + 1;
      continue;
    }
    let value = src.slice(pos, lineEnd);
    const comment = value.search(/\s#/);
    if (comment >= 0) value = value.slice(0, comment);
    value = value.trim();
    if (key) set(key, expand(value));
    i = lineEnd + 1;
  }
  return out;
}

/**
 * Interpolation variables from env files read in order (later wins; each
 * file sees the ones before it and `outer`), with `outer` over them all.
 * Unless the files were `named` by the user, an absent file (or a folder) is
 * skipped; otherwise the first file that cannot be read is returned.
 */
export function readEnvVariables(
  files: readonly string[],
  named: boolean,
  outer: Record<string, string>,
): { variables: Record<string, string> } | { path: string; problem: string } {
  const fromFiles: Record<string, string> = {};
  for (const path of files) {
    const { text, problem } = readText(path);
    if (text === undefined) {
      if (!named && (problem === "does not exist" || problem === "is a folder, not a file")) continue;
      return { path, problem: problem! };
    }
    Object.assign(fromFiles, parseEnvFile(text, { ...fromFiles, ...outer }));
  }
  return { variables: { ...fromFiles, ...outer } };
}

export interface ServiceEnvironment {
  environment: Record<string, string | null>;
  diagnostics: Diagnostic[];
}

/**
 * The environment a service's container gets: its `env_file` entries (paths
 * already absolute) read in order, then `environment` on top. An entry of
 * `environment` without a value takes it from `variables` when set.
 * `servicePath` (["services", name]) is only used for messages; positions come
 * from the service's own source record.
 */
export function readServiceEnvironment(
  service: Record<string, unknown>,
  variables: Record<string, string>,
  servicePath: TreePath = [],
): ServiceEnvironment {
  const diagnostics: Diagnostic[] = [];
  const environment: Record<string, string | null> = {};
  const envFileValue = service.env_file;
  normalizeEnvFiles(envFileValue).forEach((entry, index) => {
    const { text, problem } = readText(entry.path);
    if (text === undefined) {
      if (problem === "does not exist" && !entry.required) return;
      diagnostics.push(envFileProblem(service, servicePath, index, entry.path, problem!));
      return;
    }
    Object.assign(environment, parseEnvFile(text, variables, { raw: entry.format === "raw" }));
  });
  for (const [key, value] of Object.entries(normalizeEnvironment(service.environment))) {
    if (value === null) environment[key] = Object.prototype.hasOwnProperty.call(variables, key) ? variables[key]! : null;
    else environment[key] = value;
  }
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
    hint: "create the file, fix the path (relative paths start at the Compose file's folder), or mark it `required: false`",
  };
}
