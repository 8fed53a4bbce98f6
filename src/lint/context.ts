import type { Diagnostic, DiagnosticCode, Severity, TreePath } from "../diagnostics/index.js";
import type { ComposeModel } from "../compose/model.js";
import { sourceAt } from "../compose/source-map.js";
import type { PodDeclaration } from "../pod/model.js";
import { PODS_KEY } from "../compose/model.js";
import { isMapping } from "../yaml/mapping.js";

export interface LintContext {
  model: ComposeModel;
  pods: PodDeclaration[];
}

export type Rule = (ctx: LintContext) => Diagnostic[];

export { isMapping };

/** The services mapping (empty when missing or malformed: the schema reports that). */
export function servicesOf(ctx: LintContext): Record<string, unknown> {
  const services = ctx.model.raw.services;
  return isMapping(services) ? services : {};
}

/** A service definition when it is a mapping. */
export function serviceOf(ctx: LintContext, name: string): Record<string, unknown> | undefined {
  const services = servicesOf(ctx);
  if (!Object.prototype.hasOwnProperty.call(services, name)) return undefined;
  const service = services[name];
  return isMapping(service) ? service : undefined;
}

export function hasService(ctx: LintContext, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(servicesOf(ctx), name);
}

export interface ListedMember {
  name: string;
  list: "init" | "components";
  path: TreePath;
}

/**
 * The members of each pod a lint run declared, as membersOf made them: ten
 * rules ask for them. A pod declaration belongs to the one model it was read
 * from, which no rule changes.
 */
const listedMembers = new WeakMap<PodDeclaration, readonly ListedMember[]>();

/** The pod's members with where each is listed, in file order. */
export function membersOf(pod: PodDeclaration, ctx: LintContext): readonly ListedMember[] {
  let members = listedMembers.get(pod);
  if (!members) {
    members = readMembers(pod, ctx);
    listedMembers.set(pod, members);
  }
  return members;
}

function readMembers(pod: PodDeclaration, ctx: LintContext): ListedMember[] {
  const entry = (ctx.model.raw[PODS_KEY] as Record<string, unknown> | undefined)?.[pod.name];
  const out: ListedMember[] = [];
  if (!isMapping(entry)) return out;
  // in the order the file lists them, so "listed twice" points at the later entry
  const lists = Object.keys(entry).filter((k): k is "init" | "components" => k === "init" || k === "components");
  for (const list of lists) {
    const items = entry[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item, index) => {
      if (typeof item === "string") out.push({ name: item, list, path: [...pod.path, list, index] });
    });
  }
  return out;
}

/** Builds a finding positioned at `path` in the model. */
export function finding(
  ctx: LintContext,
  code: DiagnosticCode,
  severity: Severity,
  message: string,
  path: TreePath,
  hint: string,
  prefer: "value" | "key" = "value",
): Diagnostic {
  return { code, severity, message, path, at: sourceAt(ctx.model.raw, path, prefer), hint };
}

export const quote = (name: string): string => JSON.stringify(name);
