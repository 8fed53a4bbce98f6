import { formatPath, sortDiagnostics, type Diagnostic } from "../diagnostics/index.js";
import type { ComposeModel } from "../compose/model.js";
import { validateSchema } from "../compose/validate.js";
import { readPods } from "../pod/group.js";
import type { LintContext, Rule } from "./context.js";
import { emptyPod, memberListedOnce, podNameCollision, unknownMember } from "./pod-membership.js";
import { portClash } from "./pod-ports.js";
import { deployConflict } from "./pod-deploy.js";
import { crossPodDependency, dependencyCycle, unknownDependency } from "./dependencies.js";
import { unknownServiceReference } from "./service-references.js";
import { dotObjectName, swarmName } from "./object-names.js";
import { undefinedObjectReference } from "./object-references.js";
import { secretWithoutSource } from "./secret-sources.js";
import { composeConsistency } from "./consistency.js";
import { buildWithoutImage, dockerSocket, invalidMemberName, unsupportedKeys, unsupportedMountType } from "./pod-members.js";
import { fileOwnerRange } from "./pod-files.js";

export type { LintContext, Rule } from "./context.js";
export { POD_UNSUPPORTED_KEYS } from "./pod-keys.js";

/** Every rule after the schema. Convert refuses a model for which any of them reports an error. */
export const RULES: readonly Rule[] = [
  unknownMember,
  memberListedOnce,
  emptyPod,
  podNameCollision,
  portClash,
  deployConflict,
  dependencyCycle,
  unknownDependency,
  unknownServiceReference,
  undefinedObjectReference,
  dotObjectName,
  swarmName,
  secretWithoutSource,
  composeConsistency,
  crossPodDependency,
  buildWithoutImage,
  invalidMemberName,
  unsupportedKeys,
  unsupportedMountType,
  dockerSocket,
  fileOwnerRange,
];

/** The rules' findings for a model, without the schema's. */
export function runRules(ctx: LintContext): Diagnostic[] {
  return RULES.flatMap((rule) => rule(ctx));
}

/**
 * The schema's findings and every rule's, sorted by position. Where a rule
 * and the schema report the same place (an empty components list), the
 * rule's own code and words win.
 */
export function lintModel(model: ComposeModel): Diagnostic[] {
  const ctx: LintContext = { model, pods: readPods(model.raw) };
  const ruled = runRules(ctx);
  const ruledPlaces = new Set(ruled.filter((d) => d.severity === "error").map((d) => formatPath(d.path ?? [])));
  const schema = validateSchema(model).filter((d) => !ruledPlaces.has(formatPath(d.path ?? [])));
  return sortDiagnostics([...schema, ...ruled]);
}
