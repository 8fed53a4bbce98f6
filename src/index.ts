export * from "./diagnostics/index.js";
export { loadProject, isUsageProblem } from "./compose/load.js";
export type { ComposeModel, LoadOptions } from "./compose/model.js";
