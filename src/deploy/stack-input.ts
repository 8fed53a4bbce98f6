import { hasErrors, type Loaded } from "../diagnostics/diagnostic.js";
import type { ComposeModel } from "../compose/model.js";
import { copyEntrySource, copySources } from "../compose/source-map.js";
import { enabledProfiles, isServiceActive } from "../compose/profiles.js";
import type { ComposeStack } from "./types.js";
import { PODS_KEY } from "../compose/model.js";
import { isMapping } from "../yaml/mapping.js";
import { getOwn, setOwn } from "../compose/own-keys.js";

/**
 * The Compose-shaped stack to deploy: the loaded file itself (the active
 * services and the top-level sections Swarm reads), so nothing the engine
 * could use is lost on the way; each pod replaced by the controller service
 * convert makes of it. A service outside every pod deploys the same whether
 * or not the file holds pods. Either way the file is checked as `podlike
 * lint` checks it, and an error stops the deploy before anything reaches the
 * engine.
 */
export async function stackFromModel(model: ComposeModel, options: { controllerImage?: string } = {}): Promise<Loaded<ComposeStack | undefined>> {
  const raw = model.raw;
  const services = isMapping(raw.services) ? raw.services : {};
  const enabled = enabledProfiles(model.variables);
  const stack: ComposeStack = { services: {} };
  copySources(services, stack.services);
  for (const [name, service] of Object.entries(services)) {
    if (isMapping(service) && isServiceActive(service, enabled)) setOwn(stack.services, name, service);
  }
  for (const section of ["networks", "volumes", "configs", "secrets"] as const) {
    if (isMapping(raw[section])) stack[section] = raw[section] as Record<string, unknown>;
  }
  // Positions travel along, so findings made later point at the user's file.
  copySources(raw, stack);

  if (raw[PODS_KEY] === undefined) {
    const { lintModel } = await import("../lint/rules.js");
    const findings = lintModel(model);
    return hasErrors(findings) ? { value: undefined, diagnostics: findings } : { value: stack, diagnostics: findings };
  }
  // Loaded only for files with pods: the converter is not needed otherwise.
  const [{ convertModel }, { readPods }] = await Promise.all([import("../stack/emit.js"), import("../pod/group.js")]);
  const converted = convertModel(model, { controllerImage: options.controllerImage, podsOnly: true });
  if (!converted.value) return { value: undefined, diagnostics: converted.diagnostics };
  for (const pod of readPods(raw)) {
    for (const member of [...pod.components, ...pod.init]) delete stack.services[member];
    const service = getOwn(converted.value.services, pod.name);
    if (service === undefined) continue; // every member inactive (profiles): no pod
    setOwn(stack.services, pod.name, service);
    copyEntrySource(raw[PODS_KEY], pod.name, stack.services, pod.name);
  }
  return { value: stack, diagnostics: converted.diagnostics };
}
