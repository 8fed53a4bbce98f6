/**
 * The label protocol shared by the converter (which writes it) and the
 * controller (which reads it). Every pod.* and podlike.* label name is spelled
 * here and nowhere else. The pod.* labels are those of the original Podlike,
 * so stacks written for it run on this controller.
 */
import { parse } from "yaml";
import { writeYamlValue } from "../yaml/write-yaml.js";
import { readWrittenYaml } from "../yaml/read-written-yaml.js";
import type { ComposeService } from "../compose/model.js";
import { isMapping } from "../yaml/mapping.js";

export const LABELS = {
  /** pod.component.<name>: a Compose service definition (YAML mapping). */
  componentPrefix: "pod.component.",
  /** pod.copy.<name>: files to copy into that component before it starts. */
  copyPrefix: "pod.copy.",
  /** pod.init.components: YAML list of service definitions run to completion, in order. */
  initComponents: "pod.init.components",
  /** pod.compose.file: path inside the controller of a Compose file whose services are the components. */
  composeFile: "pod.compose.file",
  /** On every container a controller creates: the controller's container id. */
  controllerId: "podlike.controller",
  /** On every container a controller creates: the component's name. */
  componentName: "podlike.component",
  /** What a created container (or volume) is to the pod: component, init, sandbox or secrets. */
  role: "podlike.role",
  /** On configs and secrets deploy creates: the content hash their name ends with. */
  contentHash: "podlike.content-hash",
  /**
   * A volume label (Podlike's): the name components use for this volume when
   * its real one is explicit or templated, e.g. name: 'pids_{{.Task.ID}}'.
   */
  volumeRef: "com.github.rycus86.podlike.volume-ref",
} as const;

/**
 * Where the controller holds what it keeps for its components. A member's
 * config or secret is mounted on the controller and copied into the member;
 * a named volume is mounted on the controller so Swarm creates it (with its
 * stack prefix) on the node, and the controller maps the component's short
 * volume name to the real one by this mount target.
 */
export const INTERNAL_ROOT = "/run/podlike";

export function internalConfigPath(member: string, name: string): string {
  return `${INTERNAL_ROOT}/${member}/configs/${name}`;
}

export function internalSecretPath(member: string, name: string): string {
  return `${INTERNAL_ROOT}/${member}/secrets/${name}`;
}

/** Is `path` where internalSecretPath holds a member's secret? */
export function isInternalSecretPath(path: string): boolean {
  const parts = path.startsWith(INTERNAL_ROOT + "/") ? path.slice(INTERNAL_ROOT.length + 1).split("/") : [];
  return parts.length === 3 && parts[1] === "secrets" && parts[0] !== "" && parts[2] !== "";
}

const INTERNAL_VOLUMES = `${INTERNAL_ROOT}/volumes/`;

export function internalVolumePath(volume: string): string {
  return INTERNAL_VOLUMES + volume;
}

/** The component's volume name when `target` is a controller mount made by internalVolumePath. */
export function volumeOfInternalPath(target: string): string | undefined {
  return target.startsWith(INTERNAL_VOLUMES) && target.length > INTERNAL_VOLUMES.length ? target.slice(INTERNAL_VOLUMES.length) : undefined;
}

/**
 * Where the controller mounts the folder of the stack file (source ".", which
 * docker stack deploy resolves to that folder's absolute path) when a
 * component's bind source is written relative to it. The controller reads the
 * host path back from its own mounts and resolves the component's relative
 * sources against it, so they name the files they named in the project.
 */
export const PROJECT_MOUNT = `${INTERNAL_ROOT}/project`;

/** The Docker socket the controller talks to. */
export const DOCKER_SOCKET = "/var/run/docker.sock";

export type ContainerRole = "component" | "init" | "sandbox" | "secrets" | "cgroup-setup";

/** Inside pod.init.components, the member's name is kept under this extension key. */
export const INIT_NAME_KEY = "x-podlike-name";

/** The largest uid or gid a copied file can have: chown(2) reads 2^32-1 as "leave unchanged". */
export const MAX_OWNER_ID = 4294967294;

export interface CopySpec {
  source: string;
  target: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

export interface InitComponent {
  name: string;
  service: ComposeService;
}

/** Everything the pod.* labels of one controller say. */
export interface PodLabelModel {
  components: Record<string, ComposeService>;
  init: InitComponent[];
  copies: Record<string, CopySpec[]>;
  composeFile?: string;
}

export interface LabelProblem {
  label: string;
  message: string;
}

const COMPONENT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function isValidComponentName(name: string): boolean {
  return COMPONENT_NAME.test(name);
}

/** `<controller-name>.podlike.<component>`: how a component's container is named. */
export function componentContainerName(controllerName: string, component: string): string {
  return `${controllerName.replace(/^\//, "")}.podlike.${component}`;
}

/** The pod's sandbox container (cannot clash with a component: ".podlike-" is not ".podlike."). */
export function sandboxContainerName(controllerName: string): string {
  return `${controllerName.replace(/^\//, "")}.podlike-sandbox`;
}

/** The container that keeps the pod's secret volumes mounted. */
export function secretKeeperContainerName(controllerName: string): string {
  return `${controllerName.replace(/^\//, "")}.podlike-secrets`;
}

/** The short-lived container that seals the pod's envelope on cgroup v2 (cgroup2-envelope.ts). */
export function cgroupSetupContainerName(controllerName: string): string {
  return `${controllerName.replace(/^\//, "")}.podlike-cgroup-setup`;
}

/** The tmpfs volume of one folder of a member's secrets. */
export function secretVolumeName(controllerName: string, member: string, index: number): string {
  return `${controllerName.replace(/^\//, "")}.podlike.${member}.secrets-${index}`;
}

/** Labels that mark a container as created by the controller `controllerId`. */
export function ownershipLabels(controllerId: string, componentName: string, role: ContainerRole): Record<string, string> {
  return { [LABELS.controllerId]: controllerId, [LABELS.componentName]: componentName, [LABELS.role]: role };
}

/** Label values are read by YAML 1.1 readers too (the original Podlike): the writer quotes what they would misread. */
const yamlText = (value: unknown): string => writeYamlValue(value, { sortKeys: true });

// ---------------------------------------------------------------- encoding

export function encodeLabels(model: PodLabelModel): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const name of Object.keys(model.components).sort()) {
    if (!isValidComponentName(name)) throw new Error(`invalid component name "${name}"`);
    labels[LABELS.componentPrefix + name] = yamlText(model.components[name]);
  }
  if (model.init.length > 0) {
    labels[LABELS.initComponents] = yamlText(model.init.map(({ name, service }) => ({ ...service, [INIT_NAME_KEY]: name })));
  }
  for (const name of Object.keys(model.copies).sort()) {
    const specs = model.copies[name]!;
    if (specs.length === 0) continue;
    labels[LABELS.copyPrefix + name] = yamlText(specs.map(encodeCopy));
  }
  if (model.composeFile !== undefined) labels[LABELS.composeFile] = model.composeFile;
  return labels;
}

function encodeCopy(spec: CopySpec): Record<string, unknown> {
  const out: Record<string, unknown> = { source: spec.source, target: spec.target };
  if (spec.mode !== undefined) out.mode = "0" + spec.mode.toString(8);
  if (spec.uid !== undefined) out.uid = spec.uid;
  if (spec.gid !== undefined) out.gid = spec.gid;
  return out;
}

// ---------------------------------------------------------------- decoding

/**
 * Reads every pod.* label. Problems name the label and what is wrong; a
 * controller refuses to start when there is any.
 */
export function decodeLabels(labels: Record<string, string>): { model: PodLabelModel; problems: LabelProblem[] } {
  const model: PodLabelModel = { components: {}, init: [], copies: {} };
  const problems: LabelProblem[] = [];
  const problem = (label: string, message: string) => problems.push({ label, message });

  for (const label of Object.keys(labels).sort()) {
    const text = labels[label]!;
    if (label.startsWith(LABELS.componentPrefix)) {
      const name = label.slice(LABELS.componentPrefix.length);
      if (!isValidComponentName(name)) {
        problem(label, `component name "${name}" must start with a letter or digit and contain only letters, digits, "_", "." and "-"`);
        continue;
      }
      const value = parseYaml(label, text, problem);
      if (value === undefined) continue;
      if (!isMapping(value)) {
        problem(label, "must be a YAML mapping (a Compose service definition)");
        continue;
      }
      model.components[name] = value;
    } else if (label === LABELS.initComponents) {
      const value = parseYaml(label, text, problem);
      if (value === undefined) continue;
      if (!Array.isArray(value)) {
        problem(label, "must be a YAML list of Compose service definitions");
        continue;
      }
      value.forEach((item, index) => {
        if (!isMapping(item)) {
          problem(label, `item ${index + 1} must be a YAML mapping (a Compose service definition)`);
          return;
        }
        const { [INIT_NAME_KEY]: given, ...service } = item;
        const name = typeof given === "string" && isValidComponentName(given) ? given : `init-${index + 1}`;
        model.init.push({ name, service });
      });
    } else if (label.startsWith(LABELS.copyPrefix)) {
      const name = label.slice(LABELS.copyPrefix.length);
      const specs = decodeCopy(label, text, problem);
      // own keys only: a component named "constructor" or "toString" must not find Object.prototype's
      if (specs) model.copies[name] = [...(Object.hasOwn(model.copies, name) ? model.copies[name]! : []), ...specs];
    } else if (label === LABELS.composeFile) {
      if (text.trim() === "") problem(label, "must be the path of a Compose file inside the controller");
      else model.composeFile = text.trim();
    }
  }

  const known = new Set([...Object.keys(model.components), ...model.init.map((i) => i.name)]);
  for (const name of Object.keys(model.copies)) {
    // With pod.compose.file the components are only known once that file is read.
    if (!known.has(name) && model.composeFile === undefined) {
      problem(LABELS.copyPrefix + name, `names no component "${name}"; add a ${LABELS.componentPrefix}${name} label or fix the name`);
    }
  }
  return { model, problems };
}

function parseYaml(label: string, text: string, problem: (label: string, message: string) => void): unknown {
  // what convert wrote is read back without the full reader, which the controller then never loads
  const written = readWrittenYaml(text);
  if (written !== undefined) return written;
  try {
    return parse(text, { merge: true, uniqueKeys: true });
  } catch (error) {
    problem(label, `is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

/** Accepts every form Podlike accepted: "src:dst", a list of those, a mapping src: dst, and {source, target, mode, uid, gid} items. */
function decodeCopy(label: string, text: string, problem: (label: string, message: string) => void): CopySpec[] | undefined {
  const value = parseYaml(label, text, problem);
  if (value === undefined) return undefined;
  const specs: CopySpec[] = [];
  const fromPair = (pair: string): boolean => {
    const colon = pair.indexOf(":");
    const source = pair.slice(0, colon).trim();
    const target = pair.slice(colon + 1).trim();
    if (colon <= 0 || !source || !target) {
      problem(label, `"${pair}" must be "source:target"`);
      return false;
    }
    specs.push({ source, target });
    return true;
  };
  if (typeof value === "string") {
    if (!fromPair(value)) return undefined;
  } else if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === "string") {
        if (!fromPair(item)) return undefined;
      } else if (isMapping(item)) {
        const spec = decodeCopyItem(label, item, problem);
        if (!spec) return undefined;
        specs.push(spec);
      } else {
        problem(label, "items must be \"source:target\" strings or {source, target} mappings");
        return undefined;
      }
    }
  } else if (isMapping(value)) {
    for (const [source, target] of Object.entries(value)) {
      if (typeof target !== "string" || !target) {
        problem(label, `target of "${source}" must be a path`);
        return undefined;
      }
      specs.push({ source, target });
    }
  } else {
    problem(label, "must be \"source:target\", a list of those, or a mapping of source: target");
    return undefined;
  }
  return specs;
}

function decodeCopyItem(label: string, item: Record<string, unknown>, problem: (label: string, message: string) => void): CopySpec | undefined {
  const { source, target, mode, uid, gid } = item;
  if (typeof source !== "string" || !source || typeof target !== "string" || !target) {
    problem(label, "each item needs a source and a target path");
    return undefined;
  }
  const spec: CopySpec = { source, target };
  if (mode !== undefined) {
    const parsed = parseMode(mode);
    if (parsed === undefined) {
      problem(label, `mode ${JSON.stringify(mode)} must be an octal file mode such as "0440"`);
      return undefined;
    }
    spec.mode = parsed;
  }
  for (const [key, raw] of [["uid", uid], ["gid", gid]] as const) {
    if (raw === undefined) continue;
    const n = typeof raw === "number" ? raw : typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < 0 || n > MAX_OWNER_ID) {
      problem(label, `${key} ${JSON.stringify(raw)} must be a numeric id from 0 to ${MAX_OWNER_ID}`);
      return undefined;
    }
    spec[key] = n;
  }
  return spec;
}

/** A mode as YAML gives it: a number (already decimal) or an octal string ("0440", "440", "0o440"). */
function parseMode(mode: unknown): number | undefined {
  if (typeof mode === "number") return Number.isInteger(mode) && mode >= 0 && mode <= 0o7777 ? mode : undefined;
  if (typeof mode !== "string") return undefined;
  const digits = mode.replace(/^0o/i, "");
  if (!/^[0-7]{1,5}$/.test(digits)) return undefined;
  const n = parseInt(digits, 8);
  return n <= 0o7777 ? n : undefined;
}
