/**
 * From the controller's own container to the plan of its pod: decode the
 * pod.* labels (and pod.compose.file), check dependencies, and build every
 * container's create body and copy archive up front, so a bad label stops
 * the controller before anything is created.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { PodlikeError } from "../diagnostics/errors.js";
import { normalizeDependsOn, type DependsOn } from "../compose/normalize.js";
import type { ComposeService } from "../compose/model.js";
import { setOwn } from "../compose/own-keys.js";
import {
  decodeLabels,
  PROJECT_MOUNT,
  volumeOfInternalPath,
  isValidComponentName,
  LABELS,
  ownershipLabels,
  type ContainerRole,
  type CopySpec,
  type LabelProblem,
} from "../labels/protocol.js";
import { createGraph, findCycles, type DependencyGraph } from "../pod/graph.js";
import { componentCreateBody, ComponentSpecError, type PodContext } from "./container-spec.js";
import { copyArchive, fileSystemSource, type CopySource } from "./copy.js";
import type { ContainerInfo, CreateBody, VolumeSpec } from "../engine/container-engine.js";
import type { ControllerFlags } from "./flags.js";
import { podNamespaces, sandboxCreateBody } from "./sandbox.js";
import { newLinkName } from "./pod-link.js";
import { applyCeiling, podEnvelope, preferMembersOnOom, type Envelope } from "./envelope.js";
import { secretFolders, secretKeeper, splitSecretCopies, type SecretFolder, type SecretStore } from "./secret-store.js";
import { sharedMounts } from "./shared-mounts.js";

export interface MemberPlan {
  name: string;
  role: Extract<ContainerRole, "component" | "init">;
  service: ComposeService;
  containerName: string;
  body: CreateBody;
  /** The tar archive of its pod.copy files, if any, secrets aside. */
  archive?: Buffer;
  /** Its secrets, one archive per folder, each copied into a tmpfs volume mounted there. */
  secretFolders: SecretFolder[];
  dependsOn: Record<string, DependsOn>;
  /** stop_grace_period in seconds (Docker's default 10). */
  stopTimeout: number;
  warnings: string[];
}

export interface PodPlan {
  controller: ContainerInfo;
  init: MemberPlan[];
  components: MemberPlan[];
  graph: DependencyGraph;
  /** The sandbox owning the pod's PID and IPC namespaces; none when members share neither. `link`: its socket (pod-link.ts). */
  holder?: { name: string; body: CreateBody; link: string };
  /** The tmpfs volumes of the members' secrets and their keeper; none without secrets. */
  secretStore?: SecretStore;
  /** About the pod as a whole, said once at start. */
  warnings: string[];
}

export interface PlanSources {
  readFile?: (path: string) => string;
  copySource?: CopySource;
  /** The sandbox's pause program, when the controller image has one. */
  pauseProgram?: string;
  /** The text of the controller's /proc/self/cgroup: where the pod's resource envelope is. */
  selfCgroup?: string;
  /** The envelope the controller already sealed or gave up on (cgroup v2, cgroup2-envelope.ts); else read from selfCgroup. */
  envelope?: Envelope;
  /** Podlike's volume-ref labels of the controller's volumes: reference → real name (readVolumeRefs). */
  volumeRefs?: Record<string, string>;
  /** The engine's API version, read once at start: settings newer than it are left out (unknown: none are). */
  apiVersion?: string;
  /** Names the sandbox's and the keeper's links (default: newLinkName, random). */
  linkName?: () => string;
}

const withLink = <T>(link: string, make: (link: string) => T): T & { link: string } => ({ ...make(link), link });

const badLabel = (problem: LabelProblem, hint?: string): Diagnostic => ({
  code: "BAD_LABEL",
  severity: "error",
  message: `label ${problem.label}: ${problem.message}`,
  hint,
});

/**
 * Named volumes the controller has mounted, by the name a component uses for
 * them. Convert mounts each at internalVolumePath(name), which maps even
 * external or renamed volumes exactly; for hand-written stacks, a volume-ref
 * label names a volume, and "mystack_logs" also answers to "logs".
 */
export function volumeNames(controller: ContainerInfo, refs: Record<string, string> = {}): Record<string, string> {
  const names: Record<string, string> = {};
  const volumes = controller.mounts.filter((m) => m.type === "volume" && m.name);
  for (const m of volumes) {
    const declared = volumeOfInternalPath(m.destination);
    if (declared) setOwn(names, declared, m.name!);
  }
  const add = (ref: string, name: string) => {
    if (!Object.hasOwn(names, ref)) setOwn(names, ref, name);
  };
  for (const [ref, name] of Object.entries(refs)) add(ref, name);
  for (const m of volumes) add(m.name!, m.name!);
  for (const m of volumes) {
    const name = m.name!;
    for (let i = name.indexOf("_"); i >= 0; i = name.indexOf("_", i + 1)) {
      const short = name.slice(i + 1);
      if (short) add(short, name);
    }
  }
  return names;
}

/** The host folder convert's relative bind sources start at: the source of the controller's PROJECT_MOUNT. */
export function projectDir(controller: ContainerInfo): string | undefined {
  return controller.mounts.find((m) => m.type === "bind" && m.destination === PROJECT_MOUNT)?.source;
}

function readComposeFile(path: string, read: (path: string) => string, problems: LabelProblem[]): Record<string, ComposeService> {
  const label = LABELS.composeFile;
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    problems.push({ label, message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
    return {};
  }
  let doc: unknown;
  try {
    doc = parse(text, { merge: true });
  } catch (error) {
    problems.push({ label, message: `${path} is not valid YAML: ${(error as Error).message.split("\n")[0]}` });
    return {};
  }
  const services = (doc as { services?: unknown } | null)?.services;
  if (typeof services !== "object" || services === null || Array.isArray(services)) {
    problems.push({ label, message: `${path} has no services mapping` });
    return {};
  }
  const out: Record<string, ComposeService> = {};
  for (const [name, service] of Object.entries(services as Record<string, unknown>)) {
    if (!isValidComponentName(name)) problems.push({ label, message: `${path}: service name "${name}" cannot name a component` });
    else if (typeof service !== "object" || service === null || Array.isArray(service)) problems.push({ label, message: `${path}: service "${name}" must be a mapping` });
    else setOwn(out, name, service as ComposeService);
  }
  return out;
}

export function planPod(controller: ContainerInfo, flags: ControllerFlags, sources: PlanSources = {}): PodPlan {
  const read = sources.readFile ?? ((path: string) => readFileSync(path, "utf8"));
  const { model, problems } = decodeLabels(controller.labels);
  const diagnostics: Diagnostic[] = [];

  if (model.composeFile !== undefined) {
    for (const [name, service] of Object.entries(readComposeFile(model.composeFile, read, problems))) {
      if (Object.hasOwn(model.components, name)) problems.push({ label: LABELS.componentPrefix + name, message: `component "${name}" is also a service of ${model.composeFile}; keep one` });
      else setOwn(model.components, name, service);
    }
    const known = new Set([...Object.keys(model.components), ...model.init.map((i) => i.name)]);
    for (const name of Object.keys(model.copies)) {
      if (!known.has(name)) problems.push({ label: LABELS.copyPrefix + name, message: `names no component "${name}"` });
    }
  }
  if (Object.keys(model.components).length === 0 && model.init.length === 0 && problems.length === 0) {
    problems.push({ label: `${LABELS.componentPrefix}<name>`, message: "the controller has no component labels" });
  }
  diagnostics.push(...problems.map((p) => badLabel(p, "fix the label on the controller service (podlike convert writes them)")));

  const componentNames = Object.keys(model.components).sort();
  const dependsOn = Object.fromEntries(componentNames.map((name) => [name, normalizeDependsOn(model.components[name]!.depends_on)]));
  for (const name of componentNames) {
    for (const [dep, spec] of Object.entries(dependsOn[name]!)) {
      if (!Object.hasOwn(model.components, dep) && spec.required) {
        diagnostics.push(badLabel({ label: LABELS.componentPrefix + name, message: `depends_on names "${dep}", which is not a component of this pod` }, "remove the dependency or add the component"));
      }
    }
  }
  const graph = createGraph(componentNames, (name) => Object.keys(dependsOn[name] ?? {}));
  for (const cycle of findCycles(graph)) {
    diagnostics.push(badLabel({ label: LABELS.componentPrefix + cycle[0], message: `dependency cycle detected: ${cycle.join(" -> ")}` }, "remove one of the depends_on entries"));
  }

  const namespaces = podNamespaces(flags, controller.name);
  const envelope = sources.envelope ?? podEnvelope(controller.id, sources.selfCgroup);
  const cgroupParent = envelope.kind === "nested" ? envelope.cgroupParent : controller.cgroupParent || undefined;
  const podLimits = controller.limits ?? { memory: 0, nanoCpus: 0, pidsLimit: 0 };
  const podHasLimits = podLimits.memory > 0 || podLimits.nanoCpus > 0 || podLimits.pidsLimit > 0;
  const shared = flags.volumes ? sharedMounts(controller) : undefined;
  const contextFor = (name: string, role: "component" | "init"): PodContext => ({
    controllerId: controller.id,
    controllerName: controller.name,
    cgroupParent,
    ipcMode: namespaces.ipcMode,
    pidMode: namespaces.pidMode,
    volumeNames: volumeNames(controller, sources.volumeRefs),
    sharedMounts: shared?.mounts,
    projectDir: projectDir(controller),
    apiVersion: sources.apiVersion,
    labels: ownershipLabels(controller.id, name, role),
    // init components too: the controller waits for an init's exit before starting it, so the code is read before the engine removes it
    autoRemove: true,
  });

  const secretVolumes: { name: string; spec: VolumeSpec }[] = [];
  /** Setting → the members it was left out of, so the pod says it once. */
  const leftOut = new Map<string, { since: string; members: string[] }>();
  const plan = (name: string, service: ComposeService, role: "component" | "init", label: string): MemberPlan | undefined => {
    try {
      const { name: containerName, body, warnings, unsupported } = componentCreateBody(name, service, contextFor(name, role));
      for (const { key, since } of unsupported) {
        const entry = leftOut.get(key) ?? leftOut.set(key, { since, members: [] }).get(key)!;
        entry.members.push(name);
      }
      const host = body.HostConfig as Record<string, unknown>;
      if (envelope.kind === "nested") preferMembersOnOom(host, controller);
      else applyCeiling(host, podLimits);
      const { secrets, others: copies } = splitSecretCopies(Object.hasOwn(model.copies, name) ? model.copies[name]! : []);
      let archive: Buffer | undefined;
      let folders: SecretFolder[] = [];
      if (copies.length || secrets.length) {
        try {
          if (copies.length) archive = copyArchive(copies, sources.copySource ?? fileSystemSource);
          if (secrets.length) {
            const planned = secretFolders(controller, name, secrets, sources.copySource ?? fileSystemSource);
            folders = planned.folders;
            secretVolumes.push(...planned.volumes);
            const mounts = ((host.Mounts as Record<string, unknown>[] | undefined) ?? []).filter((m) => !folders.some((f) => f.folder === m.Target));
            host.Mounts = [...mounts, ...folders.map((f) => ({ Type: "volume", Source: f.volume, Target: f.folder }))];
          }
        } catch (error) {
          diagnostics.push(badLabel({ label: LABELS.copyPrefix + name, message: `cannot read a source: ${(error as Error).message}` }, "copy sources are paths inside the controller container"));
        }
      }
      return {
        name,
        role,
        service,
        containerName,
        body,
        archive,
        secretFolders: folders,
        dependsOn: role === "component" ? (dependsOn[name] ?? {}) : {},
        // the create body already holds stop_grace_period, read and checked once
        stopTimeout: typeof body.StopTimeout === "number" ? body.StopTimeout : 10,
        warnings,
      };
    } catch (error) {
      if (!(error instanceof ComponentSpecError)) throw error;
      diagnostics.push(badLabel({ label, message: error.message }, error.hint));
      return undefined;
    }
  };

  const init = model.init.map((i) => plan(i.name, i.service, "init", LABELS.initComponents));
  const components = componentNames.map((name) => plan(name, model.components[name]!, "component", LABELS.componentPrefix + name));
  if (diagnostics.length) throw new PodlikeError(diagnostics);
  const envelopeWarnings =
    envelope.kind === "ceiling" && podHasLimits
      ? [`the pod's limits cannot cover its members as one envelope (${envelope.reason}): each member gets the pod's limits as its own instead`]
      : [];

  const linkName = sources.linkName ?? newLinkName;
  const pauseContext = { controllerId: controller.id, controllerName: controller.name, imageId: controller.imageId, cgroupParent, pauseProgram: sources.pauseProgram };
  const holder = namespaces.sandbox ? withLink(linkName(), (link) => sandboxCreateBody({ ...pauseContext, link })) : undefined;
  const secretStore = secretVolumes.length
    ? {
        volumes: secretVolumes,
        keeper: withLink(linkName(), (link) => secretKeeper({ ...pauseContext, link }, secretVolumes.map((v) => v.name))),
      }
    : undefined;
  const apiWarnings = [...leftOut].map(
    ([key, { since, members }]) =>
      `${key} is ignored (${members.map((m) => `"${m}"`).join(", ")}): it needs Engine API ${since}, and this engine speaks ${sources.apiVersion}`,
  );
  return {
    controller,
    init: init as MemberPlan[],
    components: components as MemberPlan[],
    graph,
    holder,
    secretStore,
    warnings: [...(shared?.warnings ?? []), ...envelopeWarnings, ...apiWarnings],
  };
}
