/**
 * ComposeModel → SwarmStack: every pod becomes one controller service, every
 * other service passes through made Swarm-clean, top-level sections pass
 * through. The same input always gives the same stack.
 */
import { hasErrors, type Loaded } from "../diagnostics/index.js";
import type { ComposeModel, LoadOptions } from "../compose/model.js";
import { loadProject } from "../compose/load.js";
import { copyEntrySource, copySources } from "../compose/source-map.js";
import type { InitComponent } from "../labels/protocol.js";
import type { ComposeService } from "../compose/model.js";
import { lintModel } from "../lint/rules.js";
import { podOfService, readPods } from "../pod/group.js";
import type { PodDeclaration } from "../pod/model.js";
import { isMapping, plainCopy, sortedKeys, type EmitContext } from "./context.js";
import { buildComponent } from "./component.js";
import { buildControllerService, DEFAULT_CONTROLLER_IMAGE } from "./controller-service.js";
import { hoistFiles, hoistNetworks, hoistPorts, hoistVolumes, mergeDeploy, type Member } from "./hoist.js";
import { enabledProfiles, isServiceActive } from "../compose/profiles.js";
import { cleanService, cleanTopLevel } from "./swarm-clean.js";
import { OLDEST_STACK_FORMAT, type SwarmService, type SwarmStack } from "./types.js";
import { writeStack } from "./write.js";
import { absolutePaths, hasRelativeBind, relativePaths } from "./output-paths.js";
import { setOwn } from "../compose/own-keys.js";
import { PODS_KEY } from "../compose/model.js";

export interface ConvertOptions {
  /** Controller image for every pod; wins over x-pods.<pod>.controller.image. */
  controllerImage?: string;
  /** Profiles enabled in addition to COMPOSE_PROFILES. */
  profiles?: string[];
  /**
   * How host paths inside the project folder are written: relative to the
   * folder of the stack file (`{ outputDir }`), relative to the project
   * folder (`"project"`, for a stack on standard output), or absolute (the
   * default: a stack used in memory, as deploy does).
   */
  paths?: "absolute" | "project" | { outputDir: string };
  /**
   * Emit only the pods' controller services, for deploy, which maps every
   * other service and section through the Engine API as loaded.
   */
  podsOnly?: boolean;
}

const TOP_LEVEL_SECTIONS = ["networks", "volumes", "configs", "secrets"] as const;

/**
 * Lints the model (its errors stop the conversion, its warnings are kept)
 * and emits the stack. `value` is undefined when there is any error.
 */
export function convertModel(model: ComposeModel, options: ConvertOptions = {}): Loaded<SwarmStack | undefined> {
  const lintFindings = lintModel(model);
  if (hasErrors(lintFindings)) return { value: undefined, diagnostics: lintFindings };
  const emitted = emitStack(model, options);
  const diagnostics = [...lintFindings, ...emitted.diagnostics];
  return { value: hasErrors(diagnostics) ? undefined : emitted.value, diagnostics };
}

/** Loads the Compose files, converts, and writes the YAML. */
export async function convertProject(options: LoadOptions & ConvertOptions): Promise<Loaded<{ stack: SwarmStack; yaml: string } | undefined>> {
  const loaded = await loadProject(options);
  if (!loaded.value || hasErrors(loaded.diagnostics)) return { value: undefined, diagnostics: loaded.diagnostics };
  const converted = convertModel(loaded.value, options);
  const diagnostics = [...loaded.diagnostics, ...converted.diagnostics];
  if (!converted.value) return { value: undefined, diagnostics };
  return { value: { stack: converted.value, yaml: writeStack(converted.value) }, diagnostics };
}

/** The transformation alone, without lint (for callers that linted already, and for tests). */
export function emitStack(model: ComposeModel, options: ConvertOptions = {}): Loaded<SwarmStack> {
  const raw = model.raw;
  const paths =
    options.paths === undefined || options.paths === "absolute"
      ? absolutePaths
      : relativePaths(model.projectDir, options.paths === "project" ? model.projectDir : options.paths.outputDir);
  const ctx: EmitContext = { raw, diagnostics: [], paths, format: OLDEST_STACK_FORMAT };
  const services = isMapping(raw.services) ? raw.services : {};
  const enabled = enabledProfiles(model.variables, options.profiles);
  const active = new Set(Object.keys(services).filter((name) => isMapping(services[name]) && isServiceActive(services[name], enabled)));

  const pods: PodDeclaration[] = [];
  for (const declared of readPods(raw)) {
    const pod = { ...declared, components: declared.components.filter((n) => active.has(n)), init: declared.init.filter((n) => active.has(n)) };
    if (pod.components.length) pods.push(pod);
  }
  const podOf = podOfService(pods);
  const isKept = (name: string) => active.has(name) && !podOf.has(name);

  const out: Record<string, SwarmService> = {};
  for (const name of [...active].sort()) {
    if (podOf.has(name) || options.podsOnly) continue;
    const cleaned = cleanService(ctx, name, services[name] as Record<string, unknown>, { variables: model.variables, isKept });
    if (cleaned) setOwn(out, name, sortedKeys(cleaned));
  }
  for (const pod of pods) {
    const service = emitPod(ctx, pod, services as Record<string, Record<string, unknown>>, model.variables, options);
    if (service) setOwn(out, pod.name, service);
  }

  const stack: SwarmStack = { version: OLDEST_STACK_FORMAT, services: sortedKeys(out) };
  for (const section of options.podsOnly ? [] : TOP_LEVEL_SECTIONS) {
    const cleaned = cleanTopLevel(ctx, section, raw[section]);
    if (cleaned) stack[section] = sortedKeys(cleaned);
  }
  // Top-level extension fields pass through; x-pods is what convert consumed.
  for (const key of Object.keys(raw).sort()) {
    if (key.startsWith("x-") && key !== PODS_KEY && !options.podsOnly) stack[key as `x-${string}`] = plainCopy(raw[key]);
  }
  stack.version = ctx.format;
  keepPositions(raw, stack);
  return { value: stack, diagnostics: ctx.diagnostics };
}

/**
 * The stack's objects remember where the user wrote them (a pod's service:
 * its x-pods entry), so findings made later, at deploy, still name file:line:col.
 */
function keepPositions(raw: Record<string, unknown>, stack: SwarmStack): void {
  const services = isMapping(raw.services) ? raw.services : {};
  copySources(services, stack.services);
  for (const [name, service] of Object.entries(stack.services)) {
    if (isMapping(services[name])) copySources(services[name], service);
    else copyEntrySource(raw[PODS_KEY], name, stack.services, name);
  }
  for (const section of TOP_LEVEL_SECTIONS) {
    const entries = stack[section];
    if (!entries || !isMapping(raw[section])) continue;
    copySources(raw[section], entries);
    for (const [name, entry] of Object.entries(entries)) copySources((raw[section] as Record<string, unknown>)[name], entry);
  }
}

function emitPod(
  ctx: EmitContext,
  pod: PodDeclaration,
  services: Record<string, Record<string, unknown>>,
  variables: Record<string, string>,
  options: ConvertOptions,
): SwarmService | undefined {
  const componentNames = new Set(pod.components);
  const initNames = new Set(pod.init);
  const members: Member[] = [...pod.components, ...pod.init].map((name) => ({ name, service: services[name]! }));
  const errorsBefore = ctx.diagnostics.filter((d) => d.severity === "error").length;

  const components: Record<string, ComposeService> = {};
  const init: InitComponent[] = [];
  for (const member of members) {
    const role = componentNames.has(member.name) ? "component" : "init";
    const built = buildComponent(ctx, { pod, name: member.name, role, service: member.service, components: componentNames, init: initNames, variables });
    if (!built) continue;
    if (role === "component") setOwn(components, member.name, built);
    else init.push({ name: member.name, service: built });
  }
  init.sort((a, b) => pod.init.indexOf(a.name) - pod.init.indexOf(b.name));

  // Init members have exited before the components start: their ports mean nothing.
  const ports = hoistPorts(ctx, pod, members.filter((m) => componentNames.has(m.name)));
  const networks = hoistNetworks(ctx, pod, members, componentNames);
  const deploy = mergeDeploy(ctx, pod, members);
  const volumes = hoistVolumes(members);
  const files = hoistFiles(ctx, pod, members);
  if (ctx.diagnostics.filter((d) => d.severity === "error").length > errorsBefore) return undefined;

  const image = options.controllerImage ?? pod.controller.image ?? DEFAULT_CONTROLLER_IMAGE;
  const projectMount = [...Object.values(components), ...init.map((i) => i.service)].some((s) => hasRelativeBind(s.volumes));
  return buildControllerService({ pod, image, components, init, ports, networks, deploy, volumes, files, projectMount });
}
