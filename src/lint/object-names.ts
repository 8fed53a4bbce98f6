import type { Diagnostic, TreePath } from "../diagnostics/index.js";
import { finding, isMapping, quote, type Rule } from "./context.js";

/**
 * A config or secret named "." or ".." passes the schema's name pattern but
 * names a folder, not a file: its default target (/<name>, /run/secrets/<name>)
 * and the controller's internal path for it would be a folder or its parent.
 */
export const dotObjectName: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const section of ["configs", "secrets"] as const) {
    const entries = ctx.model.raw[section];
    if (!isMapping(entries)) continue;
    for (const name of Object.keys(entries)) {
      if (name !== "." && name !== "..") continue;
      const kind = section === "configs" ? "config" : "secret";
      out.push(
        finding(
          ctx,
          "INVALID_OBJECT_NAME",
          "error",
          `${kind} ${quote(name)}: a ${kind} name cannot be "." or ".." (it would name a folder, not a file)`,
          [section, name],
          `rename the ${kind}, e.g. app-${kind}, here and where services use it`,
          "key",
        ),
      );
    }
  }
  return out;
};

/**
 * What Swarm calls a stack's services and networks, `<stack>_<name>`, must be
 * a DNS name component (swarmkit refuses anything else with "name must be
 * valid as a DNS name component"): letters and digits joined by "-" or "_".
 * Compose allows dots and trailing "_" in names, so such a file runs under
 * docker compose but no stack deploy can create it. Configs and secrets may
 * hold dots; docker stack deploy names them `<stack>_<name>` too, while
 * podlike deploy adds a content hash at the end.
 */
const SWARM_NAME_TAIL = /^[-_A-Za-z0-9]*[A-Za-z0-9]$/;
const SWARM_OBJECT_NAME_TAIL = /^[-_.A-Za-z0-9]*[A-Za-z0-9]$/;
const SWARM_NAME_RULE = 'letters and digits joined by "-" or "_", ending with a letter or digit';
const SWARM_OBJECT_NAME_RULE = 'letters, digits, "-", "_" and ".", ending with a letter or digit';

export const swarmName: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  const refuse = (message: string, path: TreePath, hint: string, severity: "error" | "warning" = "error") =>
    out.push(finding(ctx, "INVALID_OBJECT_NAME", severity, message, path, hint, "key"));
  const dnsRequired = "which Swarm refuses: it must be a DNS name component";

  const members = new Set(ctx.pods.flatMap((pod) => [...pod.components, ...pod.init]));
  const services = ctx.model.raw.services;
  if (isMapping(services)) {
    for (const name of Object.keys(services)) {
      if (members.has(name) || SWARM_NAME_TAIL.test(name)) continue;
      refuse(`service ${quote(name)} cannot be deployed to Swarm: its service would be named <stack>_${name}, ${dnsRequired}`, ["services", name], `rename service ${quote(name)} (and every reference to it) to ${SWARM_NAME_RULE}`);
    }
  }
  for (const pod of ctx.pods) {
    if (SWARM_NAME_TAIL.test(pod.name)) continue;
    refuse(`pod ${quote(pod.name)} cannot be deployed to Swarm: its service would be named <stack>_${pod.name}, ${dnsRequired}`, pod.path, `rename pod ${quote(pod.name)} to ${SWARM_NAME_RULE}`);
  }
  for (const section of ["networks", "configs", "secrets"] as const) {
    const entries = ctx.model.raw[section];
    if (!isMapping(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      const declared = isMapping(entry) ? entry : {};
      if (declared.name !== undefined || (declared.external !== undefined && declared.external !== false)) continue;
      const kind = section.slice(0, -1);
      if (section === "networks") {
        if (SWARM_NAME_TAIL.test(name)) continue;
        refuse(`network ${quote(name)} cannot be created in Swarm: it would be named <stack>_${name}, ${dnsRequired}`, [section, name], `rename it to ${SWARM_NAME_RULE}, or give it a name: that is`);
      } else {
        if (name === "." || name === ".." || SWARM_OBJECT_NAME_TAIL.test(name)) continue; // dotObjectName reports "." and ".."
        refuse(
          `${kind} ${quote(name)}: docker stack deploy names it <stack>_${name}, which Swarm refuses (podlike deploy adds a content hash and is not affected)`,
          [section, name],
          `rename it to ${SWARM_OBJECT_NAME_RULE}, or give it a name: that is`,
          "warning",
        );
      }
    }
  }
  return out;
};
