import type { Loaded } from "../diagnostics/index.js";
import { sortDiagnostics } from "../diagnostics/index.js";
import type { ComposeModel, LoadOptions } from "../compose/model.js";
import { loadProject } from "../compose/load.js";
import { lintModel } from "./rules.js";

/** Loads the project and lints it: every finding of the loader, the schema and the pod rules. */
export async function lintProject(options: LoadOptions): Promise<Loaded<ComposeModel | undefined>> {
  const loaded = await loadProject(options);
  if (!loaded.value) return { value: undefined, diagnostics: sortDiagnostics(loaded.diagnostics) };
  return { value: loaded.value, diagnostics: sortDiagnostics([...loaded.diagnostics, ...lintModel(loaded.value)]) };
}
