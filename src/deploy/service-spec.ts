import type { Diagnostic, TreePath } from "../diagnostics/diagnostic.js";
import { sourceAt } from "../compose/source-map.js";
import { readServiceEnvironment } from "../compose/env-file.js";
import {
  normalizeCommand,
  normalizeExtraHosts,
  normalizeFileReferences,
  normalizeLabels,
  normalizePorts,
  normalizeStringList,
  normalizeVolumes,
  parseByteSize,
  parseDuration,
  toBoolean,
  toInteger,
} from "../compose/normalize.js";
import { STACK_IMAGE_LABEL, STACK_NAMESPACE_LABEL, scopedName } from "./names.js";
import { DEPLOY_KEYS, treatmentOf } from "./service-keys.js";
import { externalName } from "./objects.js";
import { mapHealthcheck } from "../engine-spec/healthcheck.js";
import { mapLogging } from "../engine-spec/logging.js";
import { mapUlimits } from "../engine-spec/ulimits.js";
import { apiAtLeast, type ValueProblem } from "../engine-spec/problem.js";
import type { ComposeStack, EngineSpec } from "./types.js";
import type { NetworkAttachment } from "../engine/swarm.js";
import { isMapping } from "../yaml/mapping.js";

/** A top-level volume's cluster (CSI) specification, as docker stack deploy reads it. */
const CLUSTER_SPEC = "x-cluster-spec";
/** ContainerSpec.OomScoreAdj: Engine API 1.46 (Docker 27). */
const OOM_SCORE_ADJ_API = "1.46";
/** Cluster (CSI) volumes: Engine API 1.42 (Docker 23). */
export const CLUSTER_VOLUME_API = "1.42";

/** How a service's references to top-level objects resolve to engine names. */
export interface SpecContext {
  stack: string;
  /** The Compose stack the service comes from (for source positions). */
  root: ComposeStack;
  /** Engine name of a declared network, or undefined when not declared. */
  networkName(key: string): string | undefined;
  /** Engine name of a declared config/secret, or undefined when not declared. */
  configName(key: string): string | undefined;
  secretName(key: string): string | undefined;
  /** The engine's API version, when known: settings newer than it are left out with a warning. */
  apiVersion?: string;
  /** Lookup for `KEY` entries of `environment` without a value, and for env_file interpolation. */
  variables: Record<string, string>;
}

export interface MappedService {
  spec: EngineSpec;
  diagnostics: Diagnostic[];
}

const nanos = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : Math.round(ms * 1e6));
const durationNs = (value: unknown): number | undefined => nanos(parseDuration(value));

const toInt = (value: unknown): number | undefined => toInteger(value, { signed: true });

/** Drops undefined entries so specs compare and print cleanly. */
function compact<T extends Record<string, unknown>>(obj: T): T {
  for (const key of Object.keys(obj)) if (obj[key] === undefined) delete obj[key];
  return obj;
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length ? list : undefined;
}

function nonEmptyRecord(record: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(record).length ? record : undefined;
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

class ServiceMapper {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly ctx: SpecContext,
    readonly key: string,
    readonly service: Record<string, unknown>,
  ) {}

  private path(...rest: (string | number)[]): TreePath {
    return ["services", this.key, ...rest];
  }

  error(message: string, path: TreePath, hint: string, code: Diagnostic["code"] = "UNDEFINED_OBJECT", prefer: "value" | "key" = "value"): void {
    this.diagnostics.push({ code, severity: "error", message: `service "${this.key}": ${message}`, path, at: sourceAt(this.ctx.root, path, prefer), hint });
  }

  warn(message: string, path: TreePath, hint?: string): void {
    this.diagnostics.push({ code: "UNSUPPORTED_KEY", severity: "warning", message: `service "${this.key}": ${message}`, path, at: sourceAt(this.ctx.root, path, "key"), hint });
  }

  map(): EngineSpec {
    const s = this.service;
    for (const key of Object.keys(s)) {
      const treatment = treatmentOf(key);
      if (treatment.kind === "ignored" && !key.startsWith("x-")) {
        this.warn(`${key} is ignored by Swarm: ${treatment.reason}`, this.path(key), `remove ${key}, or keep it for docker compose only`);
      }
    }
    const deploy = isMapping(s.deploy) ? s.deploy : {};
    for (const key of Object.keys(deploy)) {
      if (!DEPLOY_KEYS[key] && !key.startsWith("x-")) this.warn(`deploy.${key} is not a Swarm setting and is ignored`, this.path("deploy", key));
    }

    const image = typeof s.image === "string" ? s.image : undefined;
    if (!image) {
      this.error("has no image", this.path(), s.build !== undefined ? "build and push the image, then name it under image" : "add image: to the service", s.build !== undefined ? "BUILD_WITHOUT_IMAGE" : "MISSING_IMAGE");
    }

    const name = scopedName(this.ctx.stack, this.key);
    const serviceLabels = { ...normalizeLabels(deploy.labels), [STACK_NAMESPACE_LABEL]: this.ctx.stack, [STACK_IMAGE_LABEL]: image ?? "" };
    const containerLabels = { ...normalizeLabels(s.labels), [STACK_NAMESPACE_LABEL]: this.ctx.stack };

    const containerSpec = compact({
      Image: image ?? "",
      Labels: sortedRecord(containerLabels),
      Command: normalizeCommand(s.entrypoint),
      Args: normalizeCommand(s.command),
      Hostname: typeof s.hostname === "string" ? s.hostname : undefined,
      Env: this.environment(),
      Dir: typeof s.working_dir === "string" ? s.working_dir : undefined,
      User: s.user !== undefined ? String(s.user) : undefined,
      Groups: nonEmpty(normalizeStringList(s.group_add)),
      Privileges: this.privileges(),
      Init: toBoolean(s.init),
      TTY: toBoolean(s.tty),
      OpenStdin: toBoolean(s.stdin_open),
      ReadOnly: toBoolean(s.read_only),
      Mounts: nonEmpty(this.mounts()),
      StopSignal: typeof s.stop_signal === "string" ? s.stop_signal : undefined,
      StopGracePeriod: durationNs(s.stop_grace_period),
      Healthcheck: this.healthcheck(),
      Hosts: nonEmpty(normalizeExtraHosts(s.extra_hosts).map(hostEntry)),
      DNSConfig: this.dns(),
      Secrets: nonEmpty(this.fileRefs("secrets")),
      Configs: nonEmpty(this.fileRefs("configs")),
      Isolation: typeof s.isolation === "string" ? s.isolation : undefined,
      Sysctls: nonEmptyRecord(sortedRecord(normalizeLabels(s.sysctls))),
      CapabilityAdd: nonEmpty(capabilities(s.cap_add)),
      CapabilityDrop: nonEmpty(capabilities(s.cap_drop)),
      Ulimits: nonEmpty(this.ulimits()),
      OomScoreAdj: this.oomScoreAdj(),
    });

    const taskTemplate = compact({
      ContainerSpec: containerSpec,
      Resources: this.resources(deploy.resources),
      RestartPolicy: this.restartPolicy(deploy.restart_policy),
      Placement: this.placement(deploy.placement),
      Networks: this.networks(),
      LogDriver: this.logging(),
    });

    return compact({
      Name: name,
      Labels: sortedRecord(serviceLabels),
      TaskTemplate: taskTemplate,
      Mode: this.mode(deploy),
      UpdateConfig: this.updateConfig(deploy.update_config),
      RollbackConfig: this.updateConfig(deploy.rollback_config),
      EndpointSpec: this.endpoint(deploy.endpoint_mode),
    });
  }

  private environment(): string[] | undefined {
    const { environment, diagnostics } = readServiceEnvironment(this.service, this.ctx.variables, this.path());
    this.diagnostics.push(...diagnostics);
    const list = Object.keys(environment)
      .filter((key) => environment[key] !== null)
      .sort()
      .map((key) => `${key}=${environment[key]}`);
    return nonEmpty(list);
  }

  private privileges(): EngineSpec | undefined {
    const spec = this.service.credential_spec;
    if (!isMapping(spec)) return undefined;
    const credential = compact({
      File: typeof spec.file === "string" ? spec.file : undefined,
      Registry: typeof spec.registry === "string" ? spec.registry : undefined,
      Config: typeof spec.config === "string" ? this.ctx.configName(spec.config) : undefined,
    });
    return Object.keys(credential).length ? { CredentialSpec: credential } : undefined;
  }

  private mounts(): EngineSpec[] {
    const out: EngineSpec[] = [];
    const volumes = this.ctx.root.volumes ?? {};
    normalizeVolumes(this.service.volumes).forEach((mount, index) => {
      const m: EngineSpec = { Type: mount.type, Target: mount.target };
      if (mount.read_only) m.ReadOnly = true;
      if (mount.consistency && mount.consistency !== "default") m.Consistency = mount.consistency;
      if (mount.type === "volume") {
        if (mount.source !== undefined) {
          if (!Object.prototype.hasOwnProperty.call(volumes, mount.source)) {
            this.error(`volume "${mount.source}" is not declared under the top-level volumes`, this.path("volumes", index), `add "${mount.source}:" under volumes:`);
            return;
          }
          const declared = isMapping(volumes[mount.source]) ? (volumes[mount.source] as Record<string, unknown>) : {};
          if (declared[CLUSTER_SPEC] !== undefined) {
            if (!this.clusterVolumesSupported(`volume "${mount.source}" is a cluster (CSI) volume (x-cluster-spec)`, ["volumes", mount.source, CLUSTER_SPEC])) return;
            // As docker stack deploy: type volume asks for a plain volume of that driver, which is rarely what was meant.
            this.warn(
              `volume "${mount.source}" is a cluster (CSI) volume (x-cluster-spec), but volumes[${index}] mounts it with type volume, so Swarm makes a plain volume of driver ${JSON.stringify(declared.driver ?? "local")}`,
              this.path("volumes", index),
              `write type: cluster, source: ${mount.source}, target: ${mount.target} to mount the cluster volume`,
            );
          }
          const external = externalName(declared, mount.source);
          const ownName = typeof declared.name === "string" ? declared.name : undefined;
          m.Source = external ?? ownName ?? scopedName(this.ctx.stack, mount.source);
          const options: EngineSpec = {};
          if (mount.volume?.nocopy) options.NoCopy = true;
          if (external === undefined) {
            options.Labels = sortedRecord({ ...normalizeLabels(declared.labels), [STACK_NAMESPACE_LABEL]: this.ctx.stack });
            if (typeof declared.driver === "string") {
              options.DriverConfig = compact({ Name: declared.driver, Options: nonEmptyRecord(sortedRecord(normalizeLabels(declared.driver_opts))) });
            }
          }
          if (Object.keys(options).length) m.VolumeOptions = options;
        } else if (mount.volume?.nocopy) m.VolumeOptions = { NoCopy: true };
      } else if (mount.type === "bind") {
        m.Source = mount.source;
        if (mount.bind?.propagation) m.BindOptions = { Propagation: mount.bind.propagation };
      } else if (mount.type === "tmpfs") {
        const options = compact({ SizeBytes: mount.tmpfs?.size, Mode: mount.tmpfs?.mode });
        if (Object.keys(options).length) m.TmpfsOptions = options;
      } else if (mount.type === "cluster") {
        if (!this.clusterVolumesSupported(`volumes[${index}] mounts a cluster (CSI) volume`, this.path("volumes", index))) return;
        const source = this.clusterSource(mount.source, index);
        if (source === undefined) return;
        m.Source = source;
        m.ClusterOptions = {};
      } else {
        if (mount.source !== undefined) m.Source = mount.source;
      }
      out.push(m);
    });
    for (const entry of normalizeStringList(this.service.tmpfs)) {
      const [target, options = ""] = splitOnce(entry, ":");
      const m: EngineSpec = { Type: "tmpfs", Target: target };
      const tmpfs: EngineSpec = {};
      for (const option of options.split(",").filter(Boolean)) {
        const [k, v = ""] = splitOnce(option, "=");
        if (k === "size") tmpfs.SizeBytes = parseByteSize(v);
        if (k === "mode") tmpfs.Mode = parseInt(v, 8);
      }
      if (Object.keys(compact(tmpfs)).length) m.TmpfsOptions = tmpfs;
      out.push(m);
    }
    return out;
  }

  /**
   * Cluster volumes arrived in Engine API 1.42 (Docker 23); an older engine
   * refuses the mount, so the deploy stops here, at the line that asks for one.
   */
  private clusterVolumesSupported(what: string, path: TreePath): boolean {
    if (apiAtLeast(this.ctx.apiVersion, CLUSTER_VOLUME_API)) return true;
    this.error(
      `${what}, which this engine does not support: cluster volumes need Engine API ${CLUSTER_VOLUME_API} (Docker 23) or later, and ${this.engineVersion()}`,
      path,
      "deploy to an engine of Docker 23 or later with the volume's CSI plugin installed, or use a plain named volume",
      "ENGINE_UNSUPPORTED",
      "key",
    );
    return false;
  }

  /**
   * A cluster mount's source, as docker stack deploy writes it: `group:<name>`
   * as given (a group is not the stack's), otherwise the declared volume's
   * engine name. Like docker stack deploy, deploy mounts the volume but does
   * not create it.
   */
  private clusterSource(source: string | undefined, index: number): string | undefined {
    const path = this.path("volumes", index);
    if (source === undefined || source === "") {
      this.error(`volumes[${index}] mounts a cluster volume without a source`, path, "give source: <volume> or source: group:<group>", "SCHEMA");
      return undefined;
    }
    if (source.startsWith("group:")) return source;
    const volumes = this.ctx.root.volumes ?? {};
    if (!Object.prototype.hasOwnProperty.call(volumes, source)) {
      this.error(`volume "${source}" is not declared under the top-level volumes`, path, `add "${source}:" with its driver and x-cluster-spec under volumes:`);
      return undefined;
    }
    const declared = isMapping(volumes[source]) ? (volumes[source] as Record<string, unknown>) : {};
    return externalName(declared, source) ?? (typeof declared.name === "string" ? declared.name : scopedName(this.ctx.stack, source));
  }

  /** How findings about settings newer than the engine name its version. */
  private engineVersion(): string {
    return this.ctx.apiVersion ? `this engine speaks API ${this.ctx.apiVersion}` : "this engine's API version is not known";
  }

  /** A value the shared mappers cannot read: an error at its key; the field is left out. */
  private readonly problem: ValueProblem = (key, problem, hint) =>
    this.error(`${key} ${problem}`, this.path(...key.split(".")), hint ?? `fix ${key}`, "SCHEMA");

  private healthcheck(): EngineSpec | undefined {
    const h = this.service.healthcheck;
    if (h === undefined || h === null) return undefined;
    // An engine that does not know a field drops it, and the spec would then differ on every deploy: unknown is treated as too old.
    const mapped = mapHealthcheck(h, this.problem, this.ctx.apiVersion ?? "0");
    for (const { key, since } of mapped.unsupported) {
      this.warn(`${key} is ignored: it needs Engine API ${since} (Docker 25), and ${this.engineVersion()}`, this.path(...key.split(".")), `upgrade the engine, or remove ${key}`);
    }
    return mapped.spec;
  }

  /** oom_score_adj: ContainerSpec.OomScoreAdj from Engine API 1.46 (Docker 27) on, as docker stack deploy sends it. */
  private oomScoreAdj(): number | undefined {
    const value = this.service.oom_score_adj;
    if (value === undefined || value === null) return undefined;
    const score = toInt(value);
    if (score === undefined || score < -1000 || score > 1000) {
      this.error(`oom_score_adj must be a whole number from -1000 to 1000, not ${JSON.stringify(value)}`, this.path("oom_score_adj"), "write a number from -1000 to 1000", "SCHEMA");
      return undefined;
    }
    if (apiAtLeast(this.ctx.apiVersion, OOM_SCORE_ADJ_API)) return score;
    this.warn(`oom_score_adj is ignored: it needs Engine API ${OOM_SCORE_ADJ_API} (Docker 27), and ${this.engineVersion()}`, this.path("oom_score_adj"), "upgrade the engine, or remove oom_score_adj");
    return undefined;
  }

  private dns(): EngineSpec | undefined {
    const spec = compact({
      Nameservers: nonEmpty(normalizeStringList(this.service.dns)),
      Search: nonEmpty(normalizeStringList(this.service.dns_search)),
      Options: nonEmpty(normalizeStringList(this.service.dns_opt)),
    });
    return Object.keys(spec).length ? spec : undefined;
  }

  private fileRefs(kind: "configs" | "secrets"): EngineSpec[] {
    const out: EngineSpec[] = [];
    normalizeFileReferences(this.service[kind]).forEach((ref, index) => {
      const engineName = kind === "configs" ? this.ctx.configName(ref.source) : this.ctx.secretName(ref.source);
      if (engineName === undefined) {
        this.error(`${kind === "configs" ? "config" : "secret"} "${ref.source}" is not declared under the top-level ${kind}`, this.path(kind, index), `add "${ref.source}:" with a file under ${kind}:`);
        return;
      }
      const file = { Name: ref.target ?? ref.source, UID: ref.uid ?? "0", GID: ref.gid ?? "0", Mode: ref.mode ?? 0o444 };
      // The ID is filled in once the object exists; names identify it until then.
      if (kind === "configs") out.push({ File: file, ConfigID: "", ConfigName: engineName });
      else out.push({ File: file, SecretID: "", SecretName: engineName });
    });
    return out;
  }

  private ulimits(): EngineSpec[] {
    const u = this.service.ulimits;
    return u === undefined || u === null ? [] : mapUlimits(u, this.problem);
  }

  private resources(value: unknown): EngineSpec | undefined {
    const r = isMapping(value) ? value : {};
    const side = (v: unknown, withPids: boolean): EngineSpec | undefined => {
      const x = isMapping(v) ? v : {};
      const cpus = x.cpus !== undefined ? Number(x.cpus) : undefined;
      const spec = compact({
        NanoCPUs: cpus !== undefined && Number.isFinite(cpus) ? Math.round(cpus * 1e9) : undefined,
        MemoryBytes: parseByteSize(x.memory),
        Pids: withPids ? (toInt(x.pids) ?? toInt(this.service.pids_limit)) : undefined,
        GenericResources: withPids ? undefined : nonEmpty(genericResources(x.generic_resources)),
      });
      return Object.keys(spec).length ? spec : undefined;
    };
    if (isMapping(r.reservations) && r.reservations.devices !== undefined) {
      this.warn("deploy.resources.reservations.devices is ignored: Swarm reserves devices with generic_resources", this.path("deploy", "resources", "reservations", "devices"));
    }
    const spec = compact({ Limits: side(r.limits, true), Reservations: side(r.reservations, false) });
    return Object.keys(spec).length ? spec : undefined;
  }

  private restartPolicy(value: unknown): EngineSpec | undefined {
    if (isMapping(value)) {
      const condition = value.condition === "always" ? "any" : typeof value.condition === "string" ? value.condition : undefined;
      const spec = compact({
        Condition: condition,
        Delay: durationNs(value.delay),
        MaxAttempts: toInt(value.max_attempts),
        Window: durationNs(value.window),
      });
      return Object.keys(spec).length ? spec : undefined;
    }
    // Compose's `restart:` stands in when deploy.restart_policy is absent, as docker stack deploy reads it.
    const restart = this.service.restart;
    if (typeof restart !== "string") return undefined;
    if (restart === "no") return { Condition: "none" };
    if (restart === "always" || restart === "unless-stopped") return { Condition: "any" };
    const onFailure = /^on-failure(?::(\d+))?$/.exec(restart);
    if (onFailure) return compact({ Condition: "on-failure", MaxAttempts: onFailure[1] ? Number(onFailure[1]) : undefined });
    return undefined;
  }

  private placement(value: unknown): EngineSpec | undefined {
    if (!isMapping(value)) return undefined;
    const preferences = Array.isArray(value.preferences)
      ? value.preferences.filter(isMapping).map((p) => ({ Spread: { SpreadDescriptor: String(p.spread ?? "") } }))
      : [];
    const spec = compact({
      Constraints: nonEmpty(normalizeStringList(value.constraints)),
      Preferences: nonEmpty(preferences),
      MaxReplicas: toInt(value.max_replicas_per_node),
    });
    return Object.keys(spec).length ? spec : undefined;
  }

  private networks(): NetworkAttachment[] {
    const attached: { key: string; aliases: string[]; driverOpts?: Record<string, string>; index: string | number }[] = [];
    const n = this.service.networks;
    if (Array.isArray(n)) n.forEach((key, i) => typeof key === "string" && attached.push({ key, aliases: [], index: i }));
    else if (isMapping(n)) {
      for (const [key, options] of Object.entries(n)) {
        const o = isMapping(options) ? options : {};
        const driverOpts = normalizeLabels(o.driver_opts);
        attached.push({ key, aliases: normalizeStringList(o.aliases), driverOpts: nonEmptyRecord(driverOpts), index: key });
      }
    }
    if (!attached.length) attached.push({ key: "default", aliases: [], index: "default" });
    const out: NetworkAttachment[] = [];
    for (const a of attached) {
      const target = this.ctx.networkName(a.key);
      if (target === undefined) {
        this.error(`network "${a.key}" is not declared under the top-level networks`, this.path("networks", a.index), `add "${a.key}:" under networks:`);
        continue;
      }
      // Other services keep reaching this one by its Compose name.
      const aliases = [...a.aliases.filter((x) => x !== this.key), this.key];
      out.push(compact({ Target: target, Aliases: aliases, DriverOpts: a.driverOpts }));
    }
    return out.sort((x, y) => (x.Target < y.Target ? -1 : x.Target > y.Target ? 1 : 0));
  }

  private logging(): EngineSpec | undefined {
    const l = this.service.logging;
    if (l === undefined || l === null) return undefined;
    const mapped = mapLogging(l, this.problem);
    // Without a driver the service keeps the engine's default (as docker stack deploy does).
    if (!mapped || mapped.driver === "") return undefined;
    return compact({ Name: mapped.driver, Options: mapped.options });
  }

  private mode(deploy: Record<string, unknown>): EngineSpec {
    const mode = typeof deploy.mode === "string" ? deploy.mode : "replicated";
    const replicas = toInt(deploy.replicas) ?? toInt(this.service.scale);
    switch (mode) {
      case "global":
        return { Global: {} };
      case "global-job":
        return { GlobalJob: {} };
      case "replicated-job":
        return { ReplicatedJob: { MaxConcurrent: replicas ?? 1, TotalCompletions: replicas ?? 1 } };
      case "replicated":
        return { Replicated: { Replicas: replicas ?? 1 } };
      default:
        this.error(`deploy.mode "${mode}" is not a Swarm mode`, this.path("deploy", "mode"), "use replicated, global, replicated-job or global-job", "SCHEMA");
        return { Replicated: { Replicas: replicas ?? 1 } };
    }
  }

  private updateConfig(value: unknown): EngineSpec | undefined {
    if (!isMapping(value)) return undefined;
    const ratio = value.max_failure_ratio !== undefined ? Number(value.max_failure_ratio) : undefined;
    return compact({
      Parallelism: toInt(value.parallelism) ?? 1,
      Delay: durationNs(value.delay),
      FailureAction: typeof value.failure_action === "string" ? value.failure_action : undefined,
      Monitor: durationNs(value.monitor),
      MaxFailureRatio: ratio !== undefined && Number.isFinite(ratio) ? ratio : undefined,
      Order: typeof value.order === "string" ? value.order : undefined,
    });
  }

  private endpoint(endpointMode: unknown): EngineSpec | undefined {
    const ports = normalizePorts(this.service.ports);
    const out: EngineSpec[] = [];
    ports.forEach((port) => {
      if (port.host_ip) {
        this.warn(`ports: host_ip ${port.host_ip} is ignored: Swarm publishes on every address of the node`, this.path("ports"));
      }
      const published = port.published !== undefined ? toInt(port.published) : undefined;
      if (port.published !== undefined && published === undefined) {
        this.error(`ports: published "${port.published}" must be a single port for Swarm`, this.path("ports"), "publish one port per entry", "SCHEMA");
        return;
      }
      out.push(compact({ Name: port.name, Protocol: port.protocol, TargetPort: port.target, PublishedPort: published, PublishMode: port.mode }));
    });
    const spec = compact({ Mode: typeof endpointMode === "string" ? endpointMode : undefined, Ports: nonEmpty(out) });
    return Object.keys(spec).length ? spec : undefined;
  }
}

/** Capability names as the docker CLI sends them: upper case, CAP_ prefixed (ALL as is), sorted, once each. */
function capabilities(value: unknown): string[] {
  const names = normalizeStringList(value).map((c) => {
    const upper = c.trim().toUpperCase();
    return upper === "ALL" || upper.startsWith("CAP_") ? upper : `CAP_${upper}`;
  });
  return [...new Set(names)].sort();
}

function splitOnce(text: string, separator: string): [string, string?] {
  const i = text.indexOf(separator);
  return i < 0 ? [text] : [text.slice(0, i), text.slice(i + 1)];
}

/** Compose writes `host:ip`; Swarm's hosts list takes `ip host` as /etc/hosts does. */
function hostEntry(entry: string): string {
  const [host, ip = ""] = splitOnce(entry, ":");
  return `${ip} ${host}`;
}

function genericResources(value: unknown): EngineSpec[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isMapping).flatMap((r) => {
    const d = isMapping(r.discrete_resource_spec) ? r.discrete_resource_spec : undefined;
    if (!d) return [];
    return [{ DiscreteResourceSpec: { Kind: String(d.kind ?? ""), Value: toInt(d.value) ?? 0 } }];
  });
}

/** The Swarm ServiceSpec for one Compose service, and what could not be mapped. */
export function toServiceSpec(ctx: SpecContext, key: string, service: Record<string, unknown>): MappedService {
  const mapper = new ServiceMapper(ctx, key, service);
  const spec = mapper.map();
  return { spec, diagnostics: mapper.diagnostics };
}
