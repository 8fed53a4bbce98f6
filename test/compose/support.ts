import { folderWith } from "../support/folders.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { loadProject } from "../../src/compose/load.js";
import type { LoadOptions } from "../../src/compose/model.js";

/** Shared with the other test folders; re-exported so these tests import one support module. */
export { folderWith };

/**
 * Loads `yaml` as compose.yaml (plus `extraFiles` beside it). `files` names
 * what is passed with -f (default: compose.yaml only).
 */
export async function load(
  yaml: string,
  extraFiles: Record<string, string> = {},
  options: Partial<LoadOptions> & { fileNames?: string[] } = {},
) {
  const dir = folderWith({ "compose.yaml": yaml, ...extraFiles });
  const { fileNames, ...rest } = options;
  const result = await loadProject({ files: fileNames ?? ["compose.yaml"], cwd: dir, env: {}, ...rest });
  return { ...result, dir, raw: result.value?.raw as Record<string, any> | undefined };
}

export const codes = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => d.code);
