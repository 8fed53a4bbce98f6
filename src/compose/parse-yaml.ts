import { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq } from "yaml";
import type { Alias } from "yaml";
import type { Document, Node as YamlNode, Scalar } from "yaml";
import type { Diagnostic, SourceRef } from "../diagnostics/diagnostic.js";
import { copyEntrySource, recordSelf, recordSource } from "./source-map.js";
import { readYamlFast } from "./parse-yaml-events.js";
import { MAX_DEPTH, NODE_WEIGHT, expansionBudget, keyText, scalarValue, setMergeTag } from "./yaml-values.js";
import { setOwn } from "./own-keys.js";

export { MERGE_TAGS, mergeTagOf } from "./yaml-values.js";
export type { MergeTag } from "./yaml-values.js";

/**
 * YAML text → plain JS, recording where every key and item was written.
 * We walk the nodes ourselves (rather than `doc.toJS()`) so positions can be
 * attached, merge keys resolved with their positions, and alias expansion
 * bounded by our own budget.
 */

export interface ParsedYaml {
  /** undefined when the text cannot be used (syntax error, not a mapping...). */
  value: Record<string, unknown> | undefined;
  diagnostics: Diagnostic[];
}

/** A broken file makes the parser report every later line again; past this many the rest is counted. */
const MAX_SYNTAX_FINDINGS = 100;

class ParseStop extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

export interface ParseOptions {
  /** An empty document (nothing, or only comments) reads as `{}` instead of an error: Compose skips empty override files. */
  allowEmpty?: boolean;
}

const SYNTAX_HINT = "check the indentation, colons and quotes here; quote a value that holds \": \" or starts with a special character";
const TOO_DEEP_HINT = "flatten the nesting; no Compose setting needs this depth";
const MAPPING_HINT = "a Compose file is a mapping with at least a `services` key";

export function parseComposeYaml(text: string, file: string, options: ParseOptions = {}): ParsedYaml {
  const value = readYamlFast(text, file);
  if (value) return { value, diagnostics: [] };
  return parseComposeYamlFully(text, file, options);
}

/** The full reader: every file, with every finding; the fast reader must agree with it wherever it reads a file itself. */
export function parseComposeYamlFully(text: string, file: string, options: ParseOptions = {}): ParsedYaml {
  try {
    return parseText(text, file, options);
  } catch (error) {
    // the parser and the node walk recurse; absurd nesting overflows the stack
    if (!(error instanceof RangeError)) throw error;
    return { value: undefined, diagnostics: [{ code: "YAML_SYNTAX", severity: "error", message: "the YAML is nested too deeply", at: { file, line: 1, col: 1 }, hint: TOO_DEEP_HINT }] };
  }
}

function parseText(text: string, file: string, options: ParseOptions): ParsedYaml {
  const diagnostics: Diagnostic[] = [];
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    // the parser's own duplicate check compares each key with every earlier one; indexDocument does it in one pass
    doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: false, keepSourceTokens: false });
  } catch (error) {
    if (error instanceof RangeError) throw error;
    diagnostics.push({ code: "YAML_SYNTAX", severity: "error", message: `${file}: ${(error as Error).message}`, at: { file, line: 1, col: 1 }, hint: SYNTAX_HINT });
    return { value: undefined, diagnostics };
  }

  const at = (offset: number, end?: number): SourceRef => {
    const start = lineCounter.linePos(offset);
    const ref: SourceRef = { file, line: start.line, col: start.col };
    if (end !== undefined && end > offset) {
      const stop = lineCounter.linePos(end);
      ref.endLine = stop.line;
      ref.endCol = stop.col;
    }
    return ref;
  };
  const nodeAt = (node: YamlNode | null | undefined, fallback: SourceRef): SourceRef =>
    node?.range ? at(node.range[0], node.range[1]) : fallback;

  const index = indexDocument(doc.contents);
  const fatal = reportParseErrors(doc, index.duplicateKeys, text, at, diagnostics);
  if (fatal) return { value: undefined, diagnostics };

  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) {
    if (options.allowEmpty && !root?.tag) {
      const empty: Record<string, unknown> = {};
      recordSelf(empty, { file, line: 1, col: 1 });
      return { value: empty, diagnostics };
    }
    diagnostics.push({
      code: "NOT_A_MAPPING",
      severity: "error",
      message: `${file} is empty`,
      at: { file, line: 1, col: 1 },
      hint: MAPPING_HINT,
    });
    return { value: undefined, diagnostics };
  }
  if (!isMap(root) && !isAlias(root)) {
    diagnostics.push({
      code: "NOT_A_MAPPING",
      severity: "error",
      message: "the top level of a Compose file must be a mapping (services:, networks:, ...)",
      at: nodeAt(root, { file, line: 1, col: 1 }),
      hint: MAPPING_HINT,
    });
    return { value: undefined, diagnostics };
  }

  const budget = expansionBudget(text);
  let expanded = 0;
  /** The alias written outside any anchor whose expansion is under way: the one the user can change. */
  let outerAlias: { source: string; at: SourceRef } | undefined;
  const active = new Set<YamlNode>();

  const convert = (node: unknown, depth: number, inAlias: boolean, where: SourceRef): unknown => {
    if (depth > MAX_DEPTH) {
      throw new ParseStop({ code: "YAML_SYNTAX", severity: "error", message: "the YAML is nested too deeply", at: where, hint: TOO_DEEP_HINT });
    }
    if (inAlias) {
      expanded += NODE_WEIGHT + (isScalar(node) && typeof node.value === "string" ? node.value.length : 0);
      if (expanded > budget) {
        throw new ParseStop({
          code: "ALIAS_LIMIT",
          severity: "error",
          message: `the alias *${outerAlias?.source} expands this file to more than ${formatSize(budget)} (an alias bomb?); stopped reading it`,
          at: outerAlias?.at ?? where,
          hint: "use fewer nested aliases, or repeat the few values that need it",
        });
      }
    }
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const here = nodeAt(node, where);
      const target = index.anchors.get(node);
      if (!target) {
        throw new ParseStop({ code: "YAML_SYNTAX", severity: "error", message: `unknown anchor "${node.source}" (the alias *${node.source} has nothing to refer to)`, at: here, hint: `define &${node.source} before this alias` });
      }
      if (active.has(target)) {
        throw new ParseStop({ code: "ALIAS_LIMIT", severity: "error", message: `the alias *${node.source} refers to a node that contains it`, at: here, hint: `point *${node.source} at an anchor outside the node that holds the alias` });
      }
      active.add(target);
      if (!inAlias) outerAlias = { source: node.source, at: here };
      try {
        return convert(target, depth + 1, true, here);
      } finally {
        active.delete(target);
      }
    }
    if (isScalar(node)) return scalarValue(node.value, node.source, node.type === "PLAIN");
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      recordSelf(out, nodeAt(node, where));
      const fromMerge = new Set<string>();
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const valueNode = pair.value as YamlNode | null;
        const keyRef = nodeAt(keyNode, nodeAt(node, where));
        const valueRef = nodeAt(valueNode, keyRef);
        if (isScalar(keyNode) && typeof keyNode.value === "symbol") {
          mergeInto(out, fromMerge, convert(valueNode, depth + 1, inAlias, valueRef), valueRef);
          continue;
        }
        const key = keyText(isScalar(keyNode) ? keyNode.value : keyNode === null ? null : convert(keyNode, depth + 1, inAlias, keyRef));
        // an explicit key beats a merged one; a duplicate explicit key was reported, the later one counts
        fromMerge.delete(key);
        setOwn(out, key, convert(valueNode, depth + 1, inAlias, valueRef));
        recordSource(out, key, keyRef, valueRef);
        const tag = valueNode && "tag" in valueNode ? (valueNode as { tag?: string }).tag : undefined;
        if (tag === "!reset") setMergeTag(out, key, "reset");
        else if (tag === "!override") setMergeTag(out, key, "override");
      }
      return out;
    }
    if (isSeq(node)) {
      const out: unknown[] = [];
      recordSelf(out, nodeAt(node, where));
      node.items.forEach((item, index) => {
        const ref = nodeAt(item as YamlNode | null, nodeAt(node, where));
        out.push(convert(item, depth + 1, inAlias, ref));
        recordSource(out, index, ref);
        const tag = item && typeof item === "object" && "tag" in item ? (item as { tag?: string }).tag : undefined;
        if (tag === "!reset") setMergeTag(out, index, "reset");
        else if (tag === "!override") setMergeTag(out, index, "override");
      });
      return out;
    }
    return null;
  };

  const mergeInto = (out: Record<string, unknown>, fromMerge: Set<string>, source: unknown, where: SourceRef): void => {
    const sources = Array.isArray(source) ? source : [source];
    for (const item of sources) {
      if (typeof item !== "object" || item === null || Array.isArray(item)) {
        throw new ParseStop({ code: "YAML_SYNTAX", severity: "error", message: "a merge key (<<) takes a mapping or a list of mappings", at: where, hint: "write <<: *anchor, where &anchor names a mapping, or <<: [*a, *b]" });
      }
      for (const [k, v] of Object.entries(item)) {
        if (Object.prototype.hasOwnProperty.call(out, k)) continue;
        setOwn(out, k, v);
        fromMerge.add(k);
        // merged entries keep the positions of the anchor's mapping
        copyEntrySource(item, k, out, k);
      }
    }
  };

  try {
    const value = convert(root, 0, false, { file, line: 1, col: 1 });
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      diagnostics.push({ code: "NOT_A_MAPPING", severity: "error", message: "the top level of a Compose file must be a mapping", at: { file, line: 1, col: 1 }, hint: MAPPING_HINT });
      return { value: undefined, diagnostics };
    }
    return { value: value as Record<string, unknown>, diagnostics };
  } catch (error) {
    if (error instanceof ParseStop) {
      diagnostics.push(error.diagnostic);
      return { value: undefined, diagnostics };
    }
    throw error;
  }
}

/**
 * Reports the parser's errors, each once, at most MAX_SYNTAX_FINDINGS of them
 * and a line saying how many more there are: a broken file makes the parser
 * report every later line again. Returns whether the text is unusable.
 */
function reportParseErrors(doc: Document.Parsed, duplicates: number[], text: string, at: (offset: number, end?: number) => SourceRef, diagnostics: Diagnostic[]): boolean {
  let fatal = false;
  let reported = 0;
  let hidden = 0;
  const seen = new Set<string>();
  const errors: { code: string; message: string; pos: [number, number] }[] = [...doc.errors];
  if (duplicates.length > 0) {
    for (const offset of duplicates) errors.push({ code: "DUPLICATE_KEY", message: "Map keys must be unique", pos: [offset, offset + 1] });
    errors.sort((a, b) => a.pos[0] - b.pos[0]);
  }
  for (const error of errors) {
    if (error.code !== "DUPLICATE_KEY") fatal = true;
    const ref = at(error.pos[0], error.pos[1]);
    const message = firstLine(error.message);
    const seenKey = `${ref.line}:${ref.col}:${error.code}:${message}`;
    if (seen.has(seenKey)) continue;
    seen.add(seenKey);
    if (reported === MAX_SYNTAX_FINDINGS) {
      hidden++;
      continue;
    }
    reported++;
    if (error.code === "DUPLICATE_KEY") {
      const key = keyWrittenAt(text, error.pos[0]);
      diagnostics.push({
        code: "DUPLICATE_KEY",
        severity: "error",
        message: key ? `duplicate key "${key}": this mapping already has it` : "duplicate key in a mapping",
        at: ref,
        hint: "remove one of the two entries; the later one is used",
      });
    } else if (error.code === "MULTIPLE_DOCS") {
      diagnostics.push({
        code: "YAML_SYNTAX",
        severity: "error",
        message: "a Compose file holds one YAML document, this one has several",
        at: ref,
        hint: "split the documents into separate files and pass each with -f",
      });
    } else {
      diagnostics.push({ code: "YAML_SYNTAX", severity: "error", message, at: ref, hint: SYNTAX_HINT });
    }
  }
  if (hidden > 0) {
    const last = diagnostics[diagnostics.length - 1]!;
    diagnostics.push({
      code: "YAML_SYNTAX",
      severity: "error",
      message: `${hidden} more YAML error${hidden === 1 ? "" : "s"} after this one are not shown`,
      at: last.at,
      hint: "fix the first errors and run again: later ones often follow from them",
    });
  }
  return fatal;
}

interface DocumentIndex {
  /** Each alias's node: the last anchor of its name written before it, as YAML defines it. */
  anchors: Map<Alias, YamlNode | undefined>;
  /**
   * Where each key that repeats an earlier key of its mapping starts. Keys are
   * equal as the parser's own check has them: scalars with the same value
   * (NaN never equal); other keys only to themselves.
   */
  duplicateKeys: number[];
}

/** One walk in document order for every alias and every mapping. */
function indexDocument(root: unknown): DocumentIndex {
  const latest = new Map<string, YamlNode>();
  const index: DocumentIndex = { anchors: new Map(), duplicateKeys: [] };
  const walk = (node: unknown): void => {
    if (isAlias(node)) {
      index.anchors.set(node, latest.get(node.source));
      return;
    }
    if (!node || typeof node !== "object") return;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) latest.set(anchor, node as YamlNode);
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key as YamlNode | null;
        if (isScalar(key) && !Number.isNaN(key.value)) {
          if (seen.has(key.value) && key.range) index.duplicateKeys.push(key.range[0]);
          seen.add(key.value);
        } else if (key === null) {
          if (seen.has(null)) index.duplicateKeys.push((pair.value as YamlNode | null)?.range?.[0] ?? 0);
          seen.add(null);
        }
        walk(key);
        walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    }
  };
  walk(root);
  return index;
}

function formatSize(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/** The key text of the mapping entry starting at `offset` (the parser only marks its first character). */
function keyWrittenAt(text: string, offset: number): string {
  const rest = text.slice(offset, offset + 1000);
  const m = /^(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^:\n]*?))\s*:(?:\s|$)/.exec(rest);
  if (m) return m[1] ?? m[2] ?? m[3] ?? "";
  return rest.split("\n")[0]!.trim();
}

function firstLine(message: string): string {
  if (/call stack/i.test(message)) return "the YAML is nested too deeply";
  const line = message.split("\n")[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, "");
}
