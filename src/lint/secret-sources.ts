import type { Diagnostic } from "../diagnostics/index.js";
import { finding, isMapping, quote, type Rule } from "./context.js";

/**
 * A secret the stack creates needs a value: a file or an environment
 * variable, as compose-go's checkConsistency (loader/validate.go) requires of
 * every secret that is not external. A secret with a driver is also accepted:
 * docker stack deploy hands it to the Swarm secret plugin, which provides the
 * value.
 */
export const secretWithoutSource: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  const secrets = ctx.model.raw.secrets;
  if (!isMapping(secrets)) return out;
  for (const [name, secret] of Object.entries(secrets)) {
    const declared = isMapping(secret) ? secret : {};
    if (declared.external !== undefined && declared.external !== false) continue;
    if (declared.file !== undefined || declared.environment !== undefined || declared.driver !== undefined) continue;
    out.push(
      finding(
        ctx,
        "OBJECT_FILE",
        "error",
        `secret ${quote(name)} must declare either file or environment`,
        ["secrets", name],
        `give it file: ./${name} (or environment: VARIABLE), or external: true for a secret that already exists in the Swarm`,
        "key",
      ),
    );
  }
  return out;
};
