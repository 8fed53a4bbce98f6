import { hasErrors, type Loaded } from "../diagnostics/diagnostic.js";
import type { ComposeModel } from "../compose/model.js";
import { copySources } from "../compose/source-map.js";
import { enabledProfiles, isServiceActive } from "../compose/profiles.js";
import type { ComposeStack } from "./types.js";
import { PODS_KEY } from "../compose/model.js";
import { isMapping } from "../yaml/mapping.js";

/**
 * The Compose-shaped stack to deploy: converted when the file declares pods;
 * otherwise the loaded file itself (the active services and the top-level
 * sections Swarm reads), so nothing the engine could use is lost on the way.
 * Either way the file is checked as `podlike lint` checks it, and an error
 * stops the deploy before anything reaches the engine.
 */
export async function stackFromModel(model: ComposeModel, options: { controllerImage?: string } = {}): Promise<Loaded<ComposeStack | undefined>> {
  const raw = model.raw;
  if (raw[PODS_KEY] !== undefined) {
    // Loaded only for files with pods: lint and the converter are not needed otherwise.
    const { convertModel } = await import("../stack/emit.js");
    const converted = convertModel(model, { controllerImage: options.controllerImage });
    return { value: converted.value as ComposeStack | undefined, diagnostics: converted.diagnostics };
  }
  const { lintModel } = await import("../lint/rules.js");
  const findings = lintModel(model);
  if (hasErrors(findings)) return { value: undefined, diagnostics: findings };
  const services = isMapping(raw.services) ? raw.services : {};
  const enabled = enabledProfiles(model.variables);
  const stack: ComposeStack = { services: {} };
  copySources(services, stack.services);
  for (const [name, service] of Object.entries(services)) {
    if (isMapping(service) && isServiceActive(service, enabled)) stack.services[name] = service;
  }
  for (const section of ["networks", "volumes", "configs", "secrets"] as const) {
    if (isMapping(raw[section])) stack[section] = raw[section] as Record<string, unknown>;
  }
  // Positions travel along, so findings made later point at the user's file.
  copySources(raw, stack);
  return { value: stack, diagnostics: findings };
}
