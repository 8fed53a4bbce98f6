import type { Diagnostic, Loaded } from "../diagnostics/diagnostic.js";
import { desiredFileObjects, desiredNetworks, networkEngineName, type ObjectReadOptions } from "./objects.js";
import { toServiceSpec } from "./service-spec.js";
import type { ComposeStack, DesiredStack } from "./types.js";

/** Everything the stack should consist of, as engine objects; findings for what cannot be mapped. */
/** `apiVersion`: the engine's, so that settings newer than it are left out with a warning. */
export function buildDesiredStack(stack: ComposeStack, stackName: string, options: ObjectReadOptions & { apiVersion?: string }): Loaded<DesiredStack> {
  const diagnostics: Diagnostic[] = [];
  const networks = desiredNetworks(stack, stackName);
  const configs = desiredFileObjects(stack, stackName, "config", options, diagnostics);
  const secrets = desiredFileObjects(stack, stackName, "secret", options, diagnostics);
  const configNames = new Map(configs.map((c) => [c.key, c.name]));
  const secretNames = new Map(secrets.map((s) => [s.key, s.name]));
  const declared = (section: Record<string, unknown> | undefined, key: string) =>
    !!section && Object.prototype.hasOwnProperty.call(section, key);
  const ctx = {
    stack: stackName,
    root: stack,
    networkName: (key: string) => networkEngineName(stack, stackName, key),
    // A declared object whose content could not be read is reported once, by the object itself.
    configName: (key: string) => configNames.get(key) ?? (declared(stack.configs, key) ? key : undefined),
    secretName: (key: string) => secretNames.get(key) ?? (declared(stack.secrets, key) ? key : undefined),
    variables: options.variables,
    apiVersion: options.apiVersion,
  };
  const services = Object.keys(stack.services ?? {})
    .sort()
    .map((key) => {
      const mapped = toServiceSpec(ctx, key, stack.services[key] ?? {});
      diagnostics.push(...mapped.diagnostics);
      return { key, name: mapped.spec.Name as string, spec: mapped.spec };
    });
  return { value: { stack: stackName, services, networks, configs, secrets }, diagnostics };
}
