import type { Diagnostic } from "../diagnostics/index.js";
import { MAX_OWNER_ID } from "../labels/protocol.js";
import { finding, quote, type Rule } from "./context.js";
import { eachMember } from "./pod-members.js";
import { isMapping } from "../yaml/mapping.js";

/**
 * A pod member's configs and secrets are copied in by the controller with
 * their uid and gid: an id the kernel cannot give a file (above 2^32-2) would
 * be dropped or wrapped by the engine, leaving the file with another owner.
 */
export const fileOwnerRange: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  eachMember(ctx, (pod, member, service) => {
    for (const kind of ["configs", "secrets"] as const) {
      const entries = service[kind];
      if (!Array.isArray(entries)) continue;
      entries.forEach((entry, index) => {
        if (!isMapping(entry)) return;
        for (const key of ["uid", "gid"] as const) {
          const text = typeof entry[key] === "number" || typeof entry[key] === "string" ? String(entry[key]) : undefined;
          if (text === undefined || !/^\d+$/.test(text) || Number(text) <= MAX_OWNER_ID) continue;
          out.push(
            finding(
              ctx,
              "FILE_OWNER",
              "error",
              `service ${quote(member)} of pod ${quote(pod)}: ${kind.slice(0, -1)} ${quote(String(entry.source))} has ${key} ${text}, above ${MAX_OWNER_ID}, the largest id a file can have`,
              ["services", member, kind, index, key],
              `set ${key} to the numeric id the component's process runs as (0 to ${MAX_OWNER_ID})`,
            ),
          );
        }
      });
    }
  });
  return out;
};
