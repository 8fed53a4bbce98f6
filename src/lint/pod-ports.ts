import type { Diagnostic } from "../diagnostics/index.js";
import { normalizePorts } from "../compose/normalize.js";
import { finding, membersOf, quote, serviceOf, type Rule } from "./context.js";

interface Owner {
  service: string;
  index: number;
}

/**
 * Components share the controller's network namespace: two of them cannot
 * listen on the same port, and the pod's service cannot publish one port
 * twice. Init components have exited before the components start.
 */
export const portClash: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const pod of ctx.pods) {
    const listening = new Map<string, Owner>();
    const published = new Map<string, Owner>();
    const reported = new Set<string>();
    for (const member of membersOf(pod, ctx)) {
      if (member.list !== "components") continue;
      const ports = serviceOf(ctx, member.name)?.ports;
      if (!Array.isArray(ports)) continue;
      ports.forEach((item, index) => {
        const path = ["services", member.name, "ports", index];
        for (const port of normalizePorts([item])) {
          const target = `${port.target}/${port.protocol}`;
          const first = listening.get(target);
          if (!first) listening.set(target, { service: member.name, index });
          else if (first.service !== member.name && !reported.has(`t ${member.name} ${index}`)) {
            reported.add(`t ${member.name} ${index}`);
            out.push(
              finding(
                ctx,
                "PORT_CLASH",
                "error",
                `pod ${quote(pod.name)}: service ${quote(member.name)} and service ${quote(first.service)} both listen on port ${target}; the components of a pod share one network namespace, so the second cannot bind it`,
                path,
                `change the port one of them listens on, or move one of them out of pod ${quote(pod.name)}`,
              ),
            );
          }
          if (port.published === undefined) continue;
          const key = `${port.host_ip ?? ""}:${port.published}/${port.protocol}`;
          const firstPublished = published.get(key);
          if (!firstPublished) published.set(key, { service: member.name, index });
          else if ((firstPublished.service !== member.name || firstPublished.index !== index) && !reported.has(`p ${member.name} ${index}`)) {
            reported.add(`p ${member.name} ${index}`);
            out.push(
              finding(
                ctx,
                "PORT_CLASH",
                "error",
                `pod ${quote(pod.name)}: port ${port.published}/${port.protocol} is published by service ${quote(firstPublished.service)} and by service ${quote(member.name)}; the pod's service can publish it once`,
                path,
                "publish a different port, or remove one of the two entries",
              ),
            );
          }
        }
      });
    }
  }
  return out;
};
