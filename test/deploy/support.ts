import { folderWith } from "../support/folders.js";
import { loadProject } from "../../src/compose/load.js";
import { buildDesiredStack } from "../../src/deploy/desired.js";
import { stackFromModel } from "../../src/deploy/stack-input.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { DesiredStack, EngineSpec } from "../../src/deploy/types.js";

/** Shared with the other test folders; re-exported so these tests import one support module. */
export { folderWith };

/** Loads `yaml` (plus files beside it) as deploy does and builds the desired stack "st". */
export async function desiredFrom(
  yaml: string,
  files: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<{ stack: DesiredStack; diagnostics: Diagnostic[]; dir: string }> {
  const dir = folderWith({ "compose.yaml": yaml, ...files });
  const loaded = await loadProject({ files: ["compose.yaml"], cwd: dir, env });
  if (!loaded.value) throw new Error(`load failed: ${JSON.stringify(loaded.diagnostics)}`);
  const input = await stackFromModel(loaded.value);
  if (!input.value) throw new Error(`convert failed: ${JSON.stringify(input.diagnostics)}`);
  const built = buildDesiredStack(input.value, "st", { baseDir: loaded.value.projectDir, variables: loaded.value.variables });
  return { stack: built.value, diagnostics: [...loaded.diagnostics, ...input.diagnostics, ...built.diagnostics], dir };
}

/** The spec of service `key` (named st_<key>). */
export async function specOf(serviceYaml: string, rest = "", files: Record<string, string> = {}): Promise<{ spec: EngineSpec; diagnostics: Diagnostic[] }> {
  const yaml = `services:\n  app:\n${serviceYaml.replace(/^/gm, "    ")}\n${rest}`;
  const { stack, diagnostics } = await desiredFrom(yaml, files);
  return { spec: stack.services.find((s) => s.key === "app")!.spec, diagnostics };
}
