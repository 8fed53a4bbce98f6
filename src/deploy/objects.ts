import { isAbsolute, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { sourceAt } from "../compose/source-map.js";
import { normalizeFileReferences, normalizeLabels } from "../compose/normalize.js";
import { OBJECT_FILE_LIMITS } from "../compose/object-files.js";
import { readBytes } from "../compose/read-text.js";
import { CONTENT_HASH_LABEL, SECRET_KEY_VARIABLE, STACK_NAMESPACE_LABEL, contentHash, scopedName, secretVersion } from "./names.js";
import type { ComposeStack, DesiredFileObject, DesiredNetwork, EngineSpec, FileObjectKind } from "./types.js";
import { isMapping } from "../yaml/mapping.js";
import { getOwn } from "../compose/own-keys.js";

function declaration(section: Record<string, unknown> | undefined, key: string): Record<string, unknown> | undefined {
  if (!section || !Object.prototype.hasOwnProperty.call(section, key)) return undefined;
  const value = section[key];
  return isMapping(value) ? value : {};
}

/** The engine name of an external network, volume, config or secret (`external: true`, or the legacy `external: {name: x}`); undefined when it is not external. */
export function externalName(declared: Record<string, unknown>, key: string): string | undefined {
  const external = declared.external;
  if (external === true) return typeof declared.name === "string" ? declared.name : key;
  if (isMapping(external)) return typeof external.name === "string" ? external.name : typeof declared.name === "string" ? declared.name : key;
  return undefined;
}

/** The network keys services attach to; "default" when a service names none. */
export function usedNetworkKeys(stack: ComposeStack): string[] {
  const used = new Set<string>();
  for (const service of Object.values(stack.services ?? {})) {
    const n = service.networks;
    const keys = Array.isArray(n) ? n.filter((k): k is string => typeof k === "string") : isMapping(n) ? Object.keys(n) : [];
    if (!keys.length) used.add("default");
    for (const k of keys) used.add(k);
  }
  return [...used].sort();
}

/** Engine name of a network key, or undefined when it is not declared (and not "default"). */
export function networkEngineName(stack: ComposeStack, stackName: string, key: string): string | undefined {
  const declared = declaration(stack.networks, key);
  if (!declared) return key === "default" ? scopedName(stackName, "default") : undefined;
  return externalName(declared, key) ?? (typeof declared.name === "string" ? declared.name : scopedName(stackName, key));
}

/** The networks the stack's services use, with the create request for those the stack owns. */
export function desiredNetworks(stack: ComposeStack, stackName: string): DesiredNetwork[] {
  const out: DesiredNetwork[] = [];
  for (const key of usedNetworkKeys(stack)) {
    const name = networkEngineName(stack, stackName, key);
    if (name === undefined) continue;
    const declared = declaration(stack.networks, key) ?? {};
    if (externalName(declared, key) !== undefined) {
      out.push({ key, name, external: true });
      continue;
    }
    const ipam = isMapping(declared.ipam) ? declared.ipam : undefined;
    const create: EngineSpec = {
      Name: name,
      Driver: typeof declared.driver === "string" ? declared.driver : "overlay",
      CheckDuplicate: true,
      Labels: { ...normalizeLabels(declared.labels), [STACK_NAMESPACE_LABEL]: stackName },
    };
    const options = normalizeLabels(declared.driver_opts);
    if (Object.keys(options).length) create.Options = options;
    if (declared.attachable === true) create.Attachable = true;
    if (declared.internal === true) create.Internal = true;
    if (declared.enable_ipv6 === true) create.EnableIPv6 = true;
    if (ipam) {
      create.IPAM = {
        Driver: typeof ipam.driver === "string" ? ipam.driver : "default",
        Config: (Array.isArray(ipam.config) ? ipam.config : []).filter(isMapping).map((c) => {
          const entry: EngineSpec = {};
          if (typeof c.subnet === "string") entry.Subnet = c.subnet;
          if (typeof c.ip_range === "string") entry.IPRange = c.ip_range;
          if (typeof c.gateway === "string") entry.Gateway = c.gateway;
          if (isMapping(c.aux_addresses)) entry.AuxiliaryAddresses = normalizeLabels(c.aux_addresses);
          return entry;
        }),
        Options: normalizeLabels(ipam.options),
      };
    }
    out.push({ key, name, external: false, create });
  }
  return out;
}

function usedObjectKeys(stack: ComposeStack, kind: FileObjectKind): Set<string> {
  const field = kind === "config" ? "configs" : "secrets";
  const used = new Set<string>();
  for (const service of Object.values(stack.services ?? {})) {
    for (const ref of normalizeFileReferences(service[field])) used.add(ref.source);
    const credential = service.credential_spec;
    if (kind === "config" && isMapping(credential) && typeof credential.config === "string") used.add(credential.config);
  }
  return used;
}

export interface ObjectReadOptions {
  /** Where relative `file:` paths resolve (the loader makes them absolute; this is the fallback). */
  baseDir: string;
  variables: Record<string, string>;
  /** The file's bytes, or why it cannot be read (a device, FIFO or folder, or over `limit` bytes). */
  readFile?: (path: string, limit: number) => { data?: Buffer; problem?: string };
}

/**
 * The configs (or secrets) the services use, each with its content and a name
 * that ends with a hash of that content: Swarm never changes one in place, so
 * new content means a new object.
 */
export function desiredFileObjects(
  stack: ComposeStack,
  stackName: string,
  kind: FileObjectKind,
  options: ObjectReadOptions,
  diagnostics: Diagnostic[],
): DesiredFileObject[] {
  const field = kind === "config" ? "configs" : "secrets";
  const section = stack[field];
  const read = options.readFile ?? readBytes;
  const out: DesiredFileObject[] = [];
  for (const key of [...usedObjectKeys(stack, kind)].sort()) {
    const declared = declaration(section, key);
    if (!declared) continue; // the service mapping reports the undefined reference
    const external = externalName(declared, key);
    if (external !== undefined) {
      out.push({ kind, key, name: external, external: true });
      continue;
    }
    const path = [field, key];
    let data: Buffer | undefined;
    if (typeof declared.file === "string") {
      const file = isAbsolute(declared.file) ? declared.file : resolve(options.baseDir, declared.file);
      const result = read(file, OBJECT_FILE_LIMITS[kind]);
      if (result.data) data = result.data;
      else {
        diagnostics.push({
          code: "OBJECT_FILE",
          severity: "error",
          message: `${kind} "${key}": file ${file} ${result.problem}`,
          path: [...path, "file"],
          at: sourceAt(stack, [...path, "file"]),
          hint: "create the file, or fix the path (relative paths start at the Compose file's folder)",
        });
        continue;
      }
    } else if (typeof declared.content === "string") {
      data = Buffer.from(declared.content, "utf8");
    } else if (typeof declared.environment === "string") {
      const value = getOwn(options.variables, declared.environment);
      if (value === undefined) {
        diagnostics.push({
          code: "OBJECT_FILE",
          severity: "error",
          message: `${kind} "${key}": environment variable ${declared.environment} is not set`,
          path: [...path, "environment"],
          at: sourceAt(stack, [...path, "environment"]),
          hint: `set ${declared.environment} before deploying`,
        });
        continue;
      }
      data = Buffer.from(value, "utf8");
    } else if (kind === "secret" && typeof declared.driver === "string") {
      data = undefined; // a secret store plugin provides the value
    } else {
      diagnostics.push({
        code: "OBJECT_FILE",
        severity: "error",
        message: `${kind} "${key}" has no file, content or environment`,
        path,
        at: sourceAt(stack, path, "key"),
        hint: `give it file: ./path, or external: true for an existing ${kind}`,
      });
      continue;
    }
    const content = data ?? Buffer.alloc(0);
    const hash = kind === "secret" ? secretVersion(content, stackName, key, options.variables[SECRET_KEY_VARIABLE]) : contentHash(content);
    const name = typeof declared.name === "string" ? declared.name : `${scopedName(stackName, key)}-${hash}`;
    const spec: EngineSpec = {
      Name: name,
      Labels: { ...normalizeLabels(declared.labels), [STACK_NAMESPACE_LABEL]: stackName, [CONTENT_HASH_LABEL]: hash },
    };
    if (typeof declared.template_driver === "string") spec.Templating = { Name: declared.template_driver };
    if (kind === "secret" && typeof declared.driver === "string") {
      spec.Driver = { Name: declared.driver, Options: normalizeLabels(declared.driver_opts) };
    }
    out.push({ kind, key, name, external: false, data, hash, spec });
  }
  return out;
}
