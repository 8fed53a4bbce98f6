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
  readInteger,
  readMapping,
  readString,
  readStringList,
  type ValueSite,
} from "./container-spec-values.js";

export { ComponentSpecError } from "./container-spec-values.js";

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
}

type Service = Record<string, unknown>;

const present = (value: unknown): boolean => value !== undefined && value !== null;

const NANOS_PER_MS = 1_000_000;

/** healthcheck → Config.Healthcheck (durations in nanoseconds), or undefined when nothing is set. */
function healthcheck(component: string, value: unknown): Record<string, unknown> | undefined {
  const check = readMapping({ component, key: "healthcheck" }, value);
  const site = (key: string): ValueSite => ({ component, key: `healthcheck.${key}` });
  if (present(check.disable) && readBoolean(site("disable"), check.disable)) return { Test: ["NONE"] };
  const out: Record<string, unknown> = {};
  if (present(check.test)) {
    if (typeof check.test === "string") out.Test = ["CMD-SHELL", check.test];
    else {
      const test = readStringList(site("test"), check.test);
      if (!["NONE", "CMD", "CMD-SHELL"].includes(test[0] ?? "")) {
        throw new ComponentSpecError(component, "healthcheck.test", `must start with NONE, CMD or CMD-SHELL, not ${JSON.stringify(test[0])}`, 'write ["CMD", "program", "arg"], ["CMD-SHELL", "command line"] or a plain string');
      }
      out.Test = test;
    }
  }
  const durations = { interval: "Interval", timeout: "Timeout", start_period: "StartPeriod", start_interval: "StartInterval" } as const;
  for (const [key, field] of Object.entries(durations)) {
    if (present(check[key])) out[field] = Math.round(readDuration(site(key), check[key]) * NANOS_PER_MS);
  }
  if (present(check.retries)) out.Retries = readInteger(site("retries"), check.retries);
  return Object.keys(out).length ? out : undefined;
}

function logConfig(component: string, value: unknown): Record<string, unknown> {
  const logging = readMapping({ component, key: "logging" }, value);
  const out: Record<string, unknown> = { Type: present(logging.driver) ? readString({ component, key: "logging.driver" }, logging.driver) : "" };
  if (present(logging.options)) {
    const options = readMapping({ component, key: "logging.options" }, logging.options);
    out.Config = Object.fromEntries(
      Object.entries(options)
        .filter(([, v]) => present(v))
        .map(([k, v]) => [k, readString({ component, key: `logging.options.${k}` }, v)]),
    );
  }
  return out;
}

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
    const check = healthcheck(component, service.healthcheck);
    if (check) body.Healthcheck = check;
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
  if (present(service.annotations)) host.Annotations = normalizeLabels(service.annotations);
  if (present(service.logging)) host.LogConfig = logConfig(component, service.logging);
  applyResources(component, service, host);
  if (host.ShmSize !== undefined && pod.ipcMode) {
    warnings.push(`component "${component}": shm_size has no effect: the component shares the pod's IPC namespace and its /dev/shm`);
  }

  body.HostConfig = host;
  return { name: componentContainerName(pod.controllerName, component), body, warnings };
}

