import { basename } from "node:path";
import type { Diagnostic, SourceRef } from "../diagnostics/diagnostic.js";
import { mergeServiceDefinitions } from "./merge.js";
import { recordSelf, sourceAt, sourceOfSelf, withoutKey } from "./source-map.js";
import { isMapping, type Mapping } from "../yaml/mapping.js";
import { getOwn, setOwn } from "./own-keys.js";

/**
 * `extends`: a service starts from another one (of the same file, or of
 * `extends.file`, already loaded with its own paths), and its own keys are
 * merged on top with the rules of merge.ts. Chains are followed; loops and
 * missing services or files are EXTENDS errors.
 */

/** Reads another Compose file (path absolute) through the per-file phases; a string says why it cannot be read. */
export type ReadExtendedFile = (path: string) => Mapping | string;

interface Context {
  file: string;
  raw: Mapping;
}

export function resolveExtends(raw: Mapping, file: string, readFile: ReadExtendedFile, diagnostics: Diagnostic[]): void {
  if (!isMapping(raw.services)) return;
  const resolved = new Map<string, Mapping>();
  const label = (ctx: Context, name: string) => (ctx.file === file ? name : `${name} (${basename(ctx.file)})`);

  const problem = (service: Mapping, serviceName: string, message: string, hint: string, at?: SourceRef): void => {
    const where = at ?? sourceAt(service, ["extends"]);
    diagnostics.push({ code: "EXTENDS", severity: "error", message, path: ["services", serviceName, "extends"], ...(where ? { at: where } : {}), hint });
  };

  const resolve = (ctx: Context, name: string, stack: string[], names: string[]): Mapping | undefined => {
    const key = `${ctx.file}\0${name}`;
    const known = resolved.get(key);
    if (known) return known;
    const services = ctx.raw.services;
    const service = isMapping(services) ? getOwn(services, name) : undefined;
    if (!isMapping(service)) return undefined;
    if (service.extends === undefined) {
      resolved.set(key, service);
      return service;
    }
    const own = withoutKey(service, "extends");
    if (stack.includes(key)) {
      const start = stack.indexOf(key);
      problem(service, name, `extends loops: ${[...names.slice(start), label(ctx, name)].join(" -> ")}`, "break the chain: a service cannot extend itself, directly or through others");
      return own;
    }
    const spec = service.extends;
    let target: string | undefined;
    let targetFile: string | undefined;
    if (typeof spec === "string") target = spec;
    else if (isMapping(spec)) {
      if (typeof spec.service === "string") target = spec.service;
      if (typeof spec.file === "string") targetFile = spec.file;
    }
    if (!target) {
      problem(service, name, `extends of service "${name}" must name a service: extends: {service: NAME} or extends: NAME`, "add `service:` to extends");
      resolved.set(key, own);
      return own;
    }
    let targetCtx = ctx;
    if (targetFile !== undefined && targetFile !== ctx.file) {
      const other = readFile(targetFile);
      if (typeof other === "string") {
        problem(service, name, `extends of service "${name}" names ${targetFile}, which ${other}`, "fix the path in extends.file (relative to the file that names it)", sourceAt(service, ["extends", "file"]));
        resolved.set(key, own);
        return own;
      }
      targetCtx = { file: targetFile, raw: other };
    }
    const targetServices = targetCtx.raw.services;
    if (!isMapping(targetServices) || !isMapping(getOwn(targetServices, target))) {
      const where = targetCtx.file === file ? "this file" : targetCtx.file;
      problem(
        service,
        name,
        `service "${name}" extends "${target}", which is not a service of ${where}`,
        "name an existing service in extends.service",
        typeof spec === "string" ? undefined : sourceAt(service, ["extends", "service"]),
      );
      resolved.set(key, own);
      return own;
    }
    const base = resolve(targetCtx, target, [...stack, key], [...names, label(ctx, name)]) ?? {};
    // merged from the service as written, so the !reset and !override tags of its keys apply over the base
    const merged = mergeServiceDefinitions(base, service, name);
    delete merged.extends;
    const self = sourceOfSelf(service);
    if (self) recordSelf(merged, self);
    resolved.set(key, merged);
    return merged;
  };

  const root: Context = { file, raw };
  const services = raw.services;
  for (const name of Object.keys(services)) {
    const service = services[name];
    if (!isMapping(service) || service.extends === undefined) continue;
    const result = resolve(root, name, [], []);
    if (result) setOwn(services, name, result);
  }
}
