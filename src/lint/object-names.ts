import type { Diagnostic } from "../diagnostics/index.js";
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
