import type { Diagnostic, TreePath } from "../diagnostics/index.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { normalizeFileReferences, normalizeVolumes } from "../compose/normalize.js";
import { finding, isMapping, quote, servicesOf, type LintContext, type Rule } from "./context.js";

/**
 * A service's networks, named volumes, configs and secrets are declared at
 * the top level, as compose-go's checkConsistency (loader/validate.go)
 * requires: docker compose and docker stack deploy both refuse the file
 * otherwise. "default" is the network Compose makes when it is used. A
 * cluster mount's volume too: docker stack deploy refuses an undeclared one.
 */

type Section = "networks" | "volumes" | "configs" | "secrets";

interface Reference {
  section: Section;
  name: string;
  path: TreePath;
}

function referencesOf(serviceName: string, service: Record<string, unknown>): Reference[] {
  const out: Reference[] = [];
  const base = ["services", serviceName];
  const networks = service.networks;
  if (Array.isArray(networks)) {
    networks.forEach((name, index) => {
      if (typeof name === "string") out.push({ section: "networks", name, path: [...base, "networks", index] });
    });
  } else if (isMapping(networks)) {
    for (const name of Object.keys(networks)) out.push({ section: "networks", name, path: [...base, "networks", name] });
  }
  if (Array.isArray(service.volumes)) {
    service.volumes.forEach((entry, index) => {
      const mount = normalizeVolumes([entry])[0];
      if (mount?.type === "volume" && mount.source) out.push({ section: "volumes", name: mount.source, path: [...base, "volumes", index] });
      // A cluster mount names a declared volume, or a volume group ("group:<name>"), which no stack declares.
      if (mount?.type === "cluster" && mount.source && !mount.source.startsWith("group:")) {
        out.push({ section: "volumes", name: mount.source, path: [...base, "volumes", index] });
      }
    });
  }
  for (const section of ["configs", "secrets"] as const) {
    const entries = service[section];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, index) => {
      const ref = normalizeFileReferences([entry])[0];
      if (ref) out.push({ section, name: ref.source, path: [...base, section, index] });
    });
  }
  return out;
}

const KIND: Record<Section, string> = { networks: "network", volumes: "volume", configs: "config", secrets: "secret" };

function declaredNames(ctx: LintContext, section: Section): string[] {
  const declared = ctx.model.raw[section];
  return isMapping(declared) ? Object.keys(declared) : [];
}

function isDeclared(ctx: LintContext, section: Section, name: string): boolean {
  if (section === "networks" && name === "default") return true;
  const declared = ctx.model.raw[section];
  return isMapping(declared) && Object.hasOwn(declared, name);
}

function declareHint(section: Section, name: string): string {
  const kind = KIND[section];
  if (section === "configs" || section === "secrets") return `declare it under the top-level ${section}: (${name}: {file: ./${name}}), or external: true for an existing ${kind}`;
  return `declare it under the top-level ${section}: (${name}: {}), or external: true for an existing ${kind}`;
}

export const undefinedObjectReference: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const [serviceName, service] of Object.entries(servicesOf(ctx))) {
    if (!isMapping(service)) continue;
    for (const ref of referencesOf(serviceName, service)) {
      if (isDeclared(ctx, ref.section, ref.name)) continue;
      const kind = KIND[ref.section];
      const suggestion = didYouMean(ref.name, declaredNames(ctx, ref.section));
      out.push(
        finding(
          ctx,
          "UNDEFINED_OBJECT",
          "error",
          `service ${quote(serviceName)} refers to undefined ${kind} ${quote(ref.name)}${suggestion ? ` (did you mean ${quote(suggestion)}?)` : ""}`,
          ref.path,
          suggestion ? `rename it to ${quote(suggestion)}, or ${declareHint(ref.section, ref.name)}` : declareHint(ref.section, ref.name),
          ref.section === "networks" && !Array.isArray(service.networks) ? "key" : "value",
        ),
      );
    }
  }
  return out;
};
