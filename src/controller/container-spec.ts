/**
 * One component's Compose service definition → the Engine API body of
 * POST /containers/create. Pure: the runtime passes what it learned about the
 * controller (PodContext) and sends the body as it is. What each service key
 * becomes is listed in component-keys.ts.
 */
import { normalizeCommand, normalizeEnvironment, normalizeLabels } from "../compose/normalize.js";
import { componentContainerName } from "../labels/protocol.js";
import { COMPONENT_KEYS } from "./component-keys.js";
import { componentMounts, componentTmpfs, componentVolumesFrom } from "./container-spec-mounts.js";
import { applyResources } from "./container-spec-resources.js";
import {
  ComponentSpecError,
  readBoolean,
  readDuration,
  readMapping,
  readString,
  readStringList,
  type ValueSite,
} from "./container-spec-values.js";

export { ComponentSpecError } from "./container-spec-values.js";
import { mapHealthcheck } from "../engine-spec/healthcheck.js";
import { mapLogging } from "../engine-spec/logging.js";
import { apiAtLeast, type ValueProblem } from "../engine-spec/problem.js";

/** HostConfig.Annotations: Engine API 1.43 (Docker 24). */
export const ANNOTATIONS_API = "1.43";

export interface PodContext {
  /** full container id of the controller */
  controllerId: string;
  /** e.g. "mystack_web.1.abc" (no leading slash) */
  controllerName: string;
  /** the controller's HostConfig.CgroupParent */
  cgroupParent?: string;
  /** "container:<sandbox>", or undefined when IPC sharing is off */
  ipcMode?: string;
  /** "container:<sandbox>", or undefined when PID sharing is off */
  pidMode?: string;
  /** name → the real engine volume name for a named volume of the component (e.g. "logs" → "mystack_logs", from the controller's own mounts); unknown names map to themselves */
  volumeNames: Record<string, string>;
  /** controller mounts shared into every component when --volumes is on (Engine mount objects, as in inspect .Mounts converted to HostConfig.Mounts form) */
  sharedMounts?: Array<Record<string, unknown>>;
  /** host path of the stack file's folder (the controller's PROJECT_MOUNT), against which relative bind sources resolve */
  projectDir?: string;
  /** the engine's API version: settings newer than it are left out with a warning (unknown: none are) */
  apiVersion?: string;
  /** extra labels (podlike.controller, podlike.component) the runtime adds */
  labels: Record<string, string>;
  /**
   * HostConfig.AutoRemove: the engine removes the container once it has stopped, also when it
   * restores it after its own restart or a power loss; nothing of the pod outlives its node's
   * next boot, whether or not a controller ever runs there again.
   */
  autoRemove?: boolean;
}

export interface ContainerCreateBody {
  name: string;
  /** Engine API POST /containers/create JSON */
  body: Record<string, unknown>;
  warnings: string[];
  /** Settings left out because the engine's API is older than they are; the pod reports them once for all its members. */
  unsupported: { key: string; since: string }[];
}

type Service = Record<string, unknown>;

const present = (value: unknown): boolean => value !== undefined && value !== null;

/** A value the shared mappers cannot read stops the component before anything is created. */
const refuse = (component: string): ValueProblem => (key, problem, hint) => {
  throw new ComponentSpecError(component, key, problem, hint);
};

function command(component: string, key: string, value: unknown): string[] {
  const words = normalizeCommand(value);
  if (!words) throw new ComponentSpecError(component, key, "must be a string or a list of strings");
  return words;
}

/** Keys of the definition the controller ignores, each with one warning. */
function ignoredKeyWarnings(component: string, service: Service): string[] {
  const warnings: string[] = [];
  for (const key of Object.keys(service)) {
    if (key.startsWith("x-") || !present(service[key])) continue;
    const rule = COMPONENT_KEYS[key];
    if (!rule) warnings.push(`component "${component}": unknown key ${key} is ignored`);
    else if (rule.status === "unsupported") warnings.push(`component "${component}": ${key} is ignored: ${rule.reason}`);
  }
  return warnings;
}

export function componentCreateBody(componentName: string, service: Record<string, unknown>, pod: PodContext): ContainerCreateBody {
  const component = componentName;
  const site = (key: string): ValueSite => ({ component, key });
  const warnings = ignoredKeyWarnings(component, service);
  const unsupported: ContainerCreateBody["unsupported"] = [];
  const body: Record<string, unknown> = {};
  const host: Record<string, unknown> = { NetworkMode: `container:${pod.controllerId}` };
  if (pod.pidMode) host.PidMode = pod.pidMode;
  if (pod.ipcMode) host.IpcMode = pod.ipcMode;
  if (pod.cgroupParent) host.CgroupParent = pod.cgroupParent;
  if (pod.autoRemove) host.AutoRemove = true;

  if (typeof service.image !== "string" || service.image.trim() === "") {
    throw new ComponentSpecError(component, "image", "is missing", "every component needs an image that the node can pull or already has");
  }
  body.Image = service.image;
  if (present(service.command)) body.Cmd = command(component, "command", service.command);
  if (present(service.entrypoint)) body.Entrypoint = command(component, "entrypoint", service.entrypoint);
  if (present(service.environment)) {
    // a name without a value takes it from the shell that runs docker compose; a node has none, so it is dropped
    body.Env = Object.entries(normalizeEnvironment(service.environment))
      .filter(([, value]) => value !== null)
      .map(([name, value]) => `${name}=${value}`);
  }
  body.Labels = { ...(present(service.labels) ? normalizeLabels(service.labels) : {}), ...pod.labels };
  if (present(service.user)) body.User = readString(site("user"), service.user);
  if (present(service.working_dir)) body.WorkingDir = readString(site("working_dir"), service.working_dir);
  if (present(service.tty)) body.Tty = readBoolean(site("tty"), service.tty);
  if (present(service.stdin_open)) body.OpenStdin = readBoolean(site("stdin_open"), service.stdin_open);
  if (present(service.stop_signal)) body.StopSignal = readString(site("stop_signal"), service.stop_signal);
  if (present(service.stop_grace_period)) body.StopTimeout = Math.ceil(readDuration(site("stop_grace_period"), service.stop_grace_period) / 1000);
  if (present(service.healthcheck)) {
    const check = mapHealthcheck(service.healthcheck, refuse(component), pod.apiVersion);
    if (check.spec) body.Healthcheck = check.spec;
    unsupported.push(...check.unsupported);
  }

  const mounts = componentMounts(service.volumes, {
    component,
    controllerName: pod.controllerName,
    volumeNames: pod.volumeNames,
    sharedMounts: pod.sharedMounts,
    projectDir: pod.projectDir,
  });
  warnings.push(...mounts.warnings);
  if (mounts.binds.length) host.Binds = mounts.binds;
  if (mounts.mounts.length) host.Mounts = mounts.mounts;
  if (present(service.tmpfs)) host.Tmpfs = componentTmpfs(service.tmpfs, component);
  if (present(service.volumes_from)) host.VolumesFrom = componentVolumesFrom(service.volumes_from, component, pod.controllerName);
  if (present(service.read_only)) host.ReadonlyRootfs = readBoolean(site("read_only"), service.read_only);

  if (present(service.cap_add)) host.CapAdd = readStringList(site("cap_add"), service.cap_add);
  if (present(service.cap_drop)) host.CapDrop = readStringList(site("cap_drop"), service.cap_drop);
  if (present(service.security_opt)) host.SecurityOpt = readStringList(site("security_opt"), service.security_opt);
  if (present(service.privileged)) {
    host.Privileged = readBoolean(site("privileged"), service.privileged);
    if (host.Privileged) warnings.push(`component "${component}" runs privileged: it has every capability and access to all of the node's devices`);
  }
  if (present(service.group_add)) host.GroupAdd = readStringList(site("group_add"), service.group_add);
  if (present(service.sysctls)) host.Sysctls = normalizeLabels(service.sysctls);
  if (present(service.storage_opt)) {
    const options = readMapping(site("storage_opt"), service.storage_opt);
    host.StorageOpt = Object.fromEntries(Object.entries(options).map(([k, v]) => [k, readString(site(`storage_opt.${k}`), v)]));
  }
  if (present(service.init)) host.Init = readBoolean(site("init"), service.init);
  if (present(service.runtime)) host.Runtime = readString(site("runtime"), service.runtime);
  if (present(service.isolation)) host.Isolation = readString(site("isolation"), service.isolation);
  if (present(service.cgroup)) host.CgroupnsMode = readString(site("cgroup"), service.cgroup);
  if (present(service.userns_mode)) host.UsernsMode = readString(site("userns_mode"), service.userns_mode);
  if (present(service.uts)) host.UTSMode = readString(site("uts"), service.uts);
  if (present(service.annotations)) {
    // an older engine would drop the field without a word: the pod names it instead
    if (pod.apiVersion !== undefined && !apiAtLeast(pod.apiVersion, ANNOTATIONS_API)) unsupported.push({ key: "annotations", since: ANNOTATIONS_API });
    else host.Annotations = normalizeLabels(service.annotations);
  }
  if (present(service.logging)) {
    const logging = mapLogging(service.logging, refuse(component));
    if (logging) host.LogConfig = logging.options ? { Type: logging.driver, Config: logging.options } : { Type: logging.driver };
  }
  applyResources(component, service, host);
  if (host.ShmSize !== undefined && pod.ipcMode) {
    warnings.push(`component "${component}": shm_size has no effect: the component shares the pod's IPC namespace and its /dev/shm`);
  }

  body.HostConfig = host;
  return { name: componentContainerName(pod.controllerName, component), body, warnings, unsupported };
}

