import type { Diagnostic, TreePath } from "../diagnostics/index.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { finding, hasService, isMapping, quote, servicesOf, type Rule } from "./context.js";

/**
 * Keys besides depends_on that name another service. docker compose turns
 * each into a dependency, so a name that is no service is the same error as
 * an unknown depends_on entry (compose-go normalize.go and validate.go).
 */
const NAMESPACE_KEYS = ["network_mode", "ipc", "pid", "uts", "cgroup"] as const;

export interface ServiceReference {
  name: string;
  path: TreePath;
  /** How the user wrote the reference, for the message. */
  via: string;
}

/** The services `service` names besides depends_on; docker compose starts each of them first. */
export function serviceReferencesOf(serviceName: string, service: Record<string, unknown>): ServiceReference[] {
  const out: ServiceReference[] = [];
  const base = ["services", serviceName];
  for (const key of NAMESPACE_KEYS) {
    const value = service[key];
    if (typeof value === "string" && value.startsWith("service:")) out.push({ name: value.slice("service:".length), path: [...base, key], via: `${key}: ${value}` });
  }
  const volumesFrom = service.volumes_from;
  if (Array.isArray(volumesFrom)) {
    volumesFrom.forEach((entry, index) => {
      if (typeof entry !== "string" || entry.startsWith("container:")) return;
      out.push({ name: entry.split(":")[0]!, path: [...base, "volumes_from", index], via: `volumes_from: ${entry}` });
    });
  }
  const links = service.links;
  if (Array.isArray(links)) {
    links.forEach((entry, index) => {
      if (typeof entry !== "string") return;
      const parts = entry.split(":");
      out.push({ name: parts.length === 2 ? parts[0]! : entry, path: [...base, "links", index], via: `links: ${entry}` });
    });
  }
  return out;
}

/** network_mode, ipc, pid, uts, cgroup (`service:NAME`), volumes_from and links name existing services. */
export const unknownServiceReference: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  const names = Object.keys(servicesOf(ctx));
  for (const serviceName of names) {
    const service = servicesOf(ctx)[serviceName];
    if (!isMapping(service)) continue;
    for (const reference of serviceReferencesOf(serviceName, service)) {
      if (hasService(ctx, reference.name)) continue;
      const suggestion = didYouMean(reference.name, names);
      out.push(
        finding(
          ctx,
          "UNKNOWN_DEPENDENCY",
          "error",
          `service ${quote(serviceName)} refers to undefined service ${quote(reference.name)} (${reference.via})${suggestion ? `; did you mean ${quote(suggestion)}?` : ""}`,
          reference.path,
          suggestion ? `rename it to ${quote(suggestion)}` : `define service ${quote(reference.name)}, or remove the reference`,
        ),
      );
    }
  }
  return out;
};
