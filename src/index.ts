export * from "./diagnostics/index.js";
export { loadProject, isUsageProblem } from "./compose/load.js";
export type { ComposeModel, LoadOptions } from "./compose/model.js";
export { lintProject } from "./lint/lint.js";
export { lintModel, runRules, RULES, POD_UNSUPPORTED_KEYS } from "./lint/rules.js";
export type { LintContext, Rule } from "./lint/rules.js";
export { validateSchema } from "./compose/validate.js";
