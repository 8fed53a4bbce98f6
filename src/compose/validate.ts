import { formatPath, type Diagnostic, type TreePath } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import type { ComposeModel } from "./model.js";
import { sourceAt } from "./source-map.js";
import { PODS_KEY } from "./model.js";
import { loadSchemaValidator, type SchemaError, type SchemaValidator } from "./schema-validator.js";

let validator: SchemaValidator | undefined;

/** Every place where the model breaks the Compose schema (with x-pods), one finding per location. */
export function validateSchema(model: ComposeModel): Diagnostic[] {
  const validate = (validator ??= loadSchemaValidator());
  if (validate(model.raw)) return [];
  const errors = pickOnePerLocation(resolveAlternatives(validate.errors ?? []));
  return errors.map((error) => toDiagnostic(error, model.raw));
}

// ------------------------------------------------------------------ choosing errors

const isUnder = (path: string, parent: string): boolean => path === parent || path.startsWith(parent + "/");

/**
 * A failed oneOf/anyOf arrives after the errors of each of its branches. The
 * branches of this schema accept different types, so a type error at the
 * alternative's own place only says "this branch was not meant"; when some
 * branch got further, its errors are the real ones. When none did, the type
 * errors become one "must be a string or mapping".
 */
function resolveAlternatives(errors: readonly SchemaError[]): SchemaError[] {
  const out: SchemaError[] = [];
  for (const error of errors) {
    if (error.keyword !== "oneOf" && error.keyword !== "anyOf") {
      out.push(error);
      continue;
    }
    let start = out.length;
    while (start > 0 && isUnder(out[start - 1]!.instancePath, error.instancePath)) start--;
    const branches = out.splice(start);
    const deeper = branches.filter((e) => !(e.keyword === "type" && e.instancePath === error.instancePath));
    if (deeper.length > 0) out.push(...deeper);
    else {
      const types = branches.flatMap((e) => String(e.params.type ?? "").split(",")).filter(Boolean);
      out.push({ instancePath: error.instancePath, keyword: types.length ? "type" : error.keyword, params: { type: [...new Set(types)].join(",") } });
    }
  }
  return out;
}

const PRIORITY: Record<string, number> = { additionalProperties: 0, required: 1, type: 2, enum: 3, const: 3, minItems: 4, pattern: 5 };

/** One error per location: the key an additional property sits at, or the value's own place. */
function pickOnePerLocation(errors: readonly SchemaError[]): SchemaError[] {
  const best = new Map<string, SchemaError>();
  for (const error of errors) {
    const location = error.keyword === "additionalProperties" ? `${error.instancePath}/${String(error.params.additionalProperty)}` : error.instancePath;
    const current = best.get(location);
    if (!current || (PRIORITY[error.keyword] ?? 9) < (PRIORITY[current.keyword] ?? 9)) best.set(location, error);
  }
  return [...best.values()];
}

// ------------------------------------------------------------------ wording

/** The JSON pointer as a tree path; array indexes become numbers. */
function pointerToPath(pointer: string, root: unknown): (string | number)[] {
  const path: (string | number)[] = [];
  let node: unknown = root;
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const key: string | number = Array.isArray(node) && /^\d+$/.test(segment) ? Number(segment) : segment;
    path.push(key);
    node = typeof node === "object" && node !== null ? (node as Record<string | number, unknown>)[key] : undefined;
  }
  return path;
}

const SUBJECTS: Record<string, string> = {
  services: "service",
  [PODS_KEY]: "pod",
  networks: "network",
  volumes: "volume",
  secrets: "secret",
  configs: "config",
  models: "model",
};

/** `service "web": ports[0]` for a path, or just `ports[0]` at the top. */
function describe(path: TreePath): { subject?: string; rest: TreePath } {
  const kind = SUBJECTS[String(path[0])];
  if (kind && path.length >= 2) return { subject: `${kind} ${JSON.stringify(String(path[1]))}`, rest: path.slice(2) };
  return { rest: path };
}

/** Where a finding is, in the words of a schema message: `service "web": ports[0]`. */
export function place(path: TreePath): string {
  const { subject, rest } = describe(path);
  if (subject && rest.length) return `${subject}: ${formatPath(rest)}`;
  return subject ?? formatPath(rest);
}

const TYPE_WORDS: Record<string, string> = {
  object: "mapping",
  array: "sequence",
  string: "string",
  number: "number",
  integer: "integer",
  boolean: "boolean",
  null: "null",
};

function typeList(types: string): string {
  let words = [...new Set(types.split(",").map((t) => TYPE_WORDS[t] ?? t))];
  if (words.includes("number")) words = words.filter((w) => w !== "integer");
  // null is allowed where a key may be left empty; it is not what anyone means to write
  if (words.length > 1) words = words.filter((w) => w !== "null");
  const first = words[0] ?? "value";
  const article = /^[aeiou]/.test(first) ? "an" : "a";
  if (words.length <= 1) return `${article} ${first}`;
  return `${article} ${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

function typeHint(types: string): string {
  const list = types.split(",");
  if (list[0] === "object") return "write it as key: value pairs, one per line, indented under the key";
  if (list[0] === "array") return "write it as a list: one '- item' per line, or [a, b]";
  if (list.includes("string") && list.length === 1) return "write a single text value (quote it if YAML reads it as something else)";
  return "see the Compose specification for the forms this key accepts";
}

const PATTERN_WORDS: Record<string, { message: string; hint: string }> = {
  "^[a-z0-9][a-z0-9_-]*$": {
    message: "must contain only lowercase letters, digits, dashes and underscores, and start with a letter or digit",
    hint: "rename the project, e.g. my-app",
  },
};

function allowedKeys(error: SchemaError): string[] {
  return Object.keys(error.parentSchema?.properties ?? {});
}

function toDiagnostic(error: SchemaError, root: Record<string, unknown>): Diagnostic {
  const path = pointerToPath(error.instancePath, root);
  const where = place(path);
  const prefix = where ? `${where} ` : "";
  const base = { code: "SCHEMA" as const, severity: "error" as const };
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(error.params.additionalProperty);
      const keyPath = [...path, key];
      const known = allowedKeys(error);
      const suggestion = didYouMean(key, known);
      const extensible = Boolean(error.parentSchema?.patternProperties?.["^x-"]);
      const hint = suggestion
        ? `rename it to "${suggestion}"`
        : extensible
          ? `remove it, or prefix it with "x-" to keep it as an extension field`
          : `remove it; allowed here: ${known.join(", ")}`;
      return {
        ...base,
        message: `${where ? `${where}: ` : ""}additional property ${JSON.stringify(key)} is not allowed${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ""}`,
        path: keyPath,
        at: sourceAt(root, keyPath, "key"),
        hint,
      };
    }
    case "required": {
      const key = String(error.params.missingProperty);
      return { ...base, message: `${where ? `${where}: ` : ""}${JSON.stringify(key)} is required`, path, at: sourceAt(root, path, "key"), hint: `add ${key}: to it` };
    }
    case "type": {
      const types = String(error.params.type);
      return { ...base, message: `${prefix}must be ${typeList(types)}`, path, at: sourceAt(root, path), hint: typeHint(types) };
    }
    case "enum": {
      const values = (error.params.allowedValues as unknown[] | undefined) ?? [];
      const list = values.map((v) => JSON.stringify(v)).join(", ");
      return { ...base, message: `${prefix}must be one of ${list}`, path, at: sourceAt(root, path), hint: `use one of ${list}` };
    }
    case "minItems": {
      const n = Number(error.params.limit);
      return {
        ...base,
        message: `${prefix}must ${n === 1 ? "not be empty" : `have at least ${n} items`}`,
        path,
        at: sourceAt(root, path),
        hint: "add an item to the list",
      };
    }
    case "pattern": {
      const words = PATTERN_WORDS[String(error.params.pattern)];
      return {
        ...base,
        message: `${prefix}${words?.message ?? `must match ${String(error.params.pattern)}`}`,
        path,
        at: sourceAt(root, path),
        hint: words?.hint ?? "change the value to match the pattern",
      };
    }
    default:
      return {
        ...base,
        message: `${prefix}is not valid here (${error.keyword})`,
        path,
        at: sourceAt(root, path),
        hint: "see the Compose specification for the forms this key accepts",
      };
  }
}
