/**
 * An in-memory Engine for unit tests of ordering, health and teardown. It
 * keeps the engine's observable rules (unique names, 409 on a taken name,
 * idempotent stop and remove, events for start/die/health) and plays a tiny
 * program language instead of running anything:
 *   Cmd ending in "exit N"          → exits with N right after start
 *   Cmd holding "echo TEXT;"         → writes TEXT and a newline to stdout at start
 *   Healthcheck test containing "true"/"false" → becomes healthy/unhealthy
 * Everything else runs until stopped. Tests drive the rest with exit() and
 * setHealth(), and read `calls` to check order. cut() plays an engine that
 * went away (event streams break, every call is refused, containers keep
 * running and may still exit), restore() brings it back with every event it
 * saw, for `since`.
 */
import { PassThrough, Readable } from "node:stream";
import {
  type CgroupSetup,
  EngineError,
  EngineUnreachable,
  type ContainerInfo,
  type ContainerSummary,
  type CreateBody,
  type Engine,
  type EngineEvent,
  type EventSubscription,
  type HealthStatus,
  type RegistryAuth,
  type SubscribeOptions,
  type VolumeSpec,
} from "../../src/engine/container-engine.js";

export interface FakeContainer {
  id: string;
  name: string;
  body: CreateBody;
  status: "created" | "running" | "exited";
  exitCode: number;
  health?: HealthStatus;
  archives: { path: string; tar: Buffer }[];
  logs: Buffer[];
}

interface Subscriber {
  labels: Record<string, string>;
  onEvent: (event: EngineEvent) => void;
  onError?: (error: Error) => void;
}

export interface FakeEngineOptions {
  images?: string[];
  /** Awaited before every call; lets a test pause the engine or add latency. */
  delay?: (call: string) => Promise<void> | void;
  /** The Engine API version it claims to speak (1.41, the engine these tests run against, unless set). */
  apiVersion?: string;
  /** How the engine makes cgroups (cgroupfs on cgroup v1 unless set). */
  cgroup?: CgroupSetup;
  /** Honour HostConfig.AutoRemove: a container is gone right after its exit (off unless set). */
  autoRemove?: boolean;
}

export class FakeEngine implements Engine {
  readonly containers = new Map<string, FakeContainer>();
  readonly images: Set<string>;
  /** Volumes by name, with their labels. */
  readonly volumes = new Map<string, Record<string, string>>();
  readonly pulls: { ref: string; auth?: RegistryAuth }[] = [];
  /** Every stop request with its timeout in seconds. */
  readonly stops: { name: string; timeoutSeconds: number }[] = [];
  /** "create name", "start name", "stop name", "remove name", ... in call order. */
  readonly calls: string[] = [];
  private readonly subscribers = new Set<Subscriber>();
  /** Every event ever emitted, in order, for subscriptions with `since`. */
  private readonly history: EngineEvent[] = [];
  private eventClock = 0n;
  private unreachable = false;
  private readonly waiters = new Map<string, ((code: number) => void)[]>();
  /** Streams of attachOutput, by container id, ended at the container's exit. */
  private readonly attached = new Map<string, PassThrough[]>();
  private nextId = 1;
  private readonly delay?: (call: string) => Promise<void> | void;
  private readonly speaks: string;
  private readonly cgroup: CgroupSetup;
  private readonly autoRemove: boolean;

  constructor(options: FakeEngineOptions = {}) {
    this.images = new Set(options.images ?? []);
    this.delay = options.delay;
    this.speaks = options.apiVersion ?? "1.41";
    this.cgroup = options.cgroup ?? { driver: "cgroupfs", version: "1" };
    this.autoRemove = options.autoRemove ?? false;
  }

  /** Adds a container that exists before the test starts (for example the controller itself). */
  seed(name: string, body: CreateBody, status: FakeContainer["status"] = "running"): FakeContainer {
    const id = this.newId();
    const container: FakeContainer = { id, name, body, status, exitCode: 0, archives: [], logs: [] };
    this.containers.set(id, container);
    return container;
  }

  byName(name: string): FakeContainer | undefined {
    for (const c of this.containers.values()) if (c.name === name) return c;
    return undefined;
  }

  /** The container exits by itself with `code`. */
  exit(idOrName: string, code: number): void {
    const c = this.find(idOrName);
    if (!c || c.status !== "running") return;
    c.status = "exited";
    c.exitCode = code;
    this.emit({ kind: "die", id: c.id, labels: this.labelsOf(c), exitCode: code });
    for (const resolve of this.waiters.get(c.id) ?? []) resolve(code);
    this.waiters.delete(c.id);
    for (const stream of this.attached.get(c.id) ?? []) stream.end();
    this.attached.delete(c.id);
    if (this.autoRemove && (c.body.HostConfig as { AutoRemove?: boolean } | undefined)?.AutoRemove) this.containers.delete(c.id);
  }

  /** The container writes `chunk` (raw bytes: frames unless it has a TTY). */
  output(idOrName: string, chunk: Buffer): void {
    const c = this.mustFind(idOrName);
    c.logs.push(chunk);
    for (const stream of this.attached.get(c.id) ?? []) stream.write(chunk);
  }

  /** The engine goes away: every event stream breaks, every call is refused until restore(). */
  cut(): void {
    this.unreachable = true;
    for (const s of [...this.subscribers]) {
      this.subscribers.delete(s);
      setImmediate(() => s.onError?.(new EngineUnreachable("the engine closed the event stream")));
    }
  }

  restore(): void {
    this.unreachable = false;
  }

  /** A container removed behind the controller's back (for example while it could not see the engine). */
  vanish(idOrName: string): void {
    const c = this.find(idOrName);
    if (c) this.containers.delete(c.id);
  }

  get subscriptions(): number {
    return this.subscribers.size;
  }

  setHealth(idOrName: string, health: HealthStatus): void {
    const c = this.find(idOrName);
    if (!c) return;
    c.health = health;
    this.emit({ kind: "health", id: c.id, labels: this.labelsOf(c), health });
  }

  async inspectContainer(idOrName: string): Promise<ContainerInfo | undefined> {
    await this.step(`inspect ${idOrName}`);
    const c = this.find(idOrName);
    if (!c) return undefined;
    const host = (c.body.HostConfig ?? {}) as Record<string, unknown>;
    const mounts = (host.Mounts as { Type: string; Source: string; Target: string; ReadOnly?: boolean }[] | undefined) ?? [];
    return {
      id: c.id,
      name: c.name,
      imageId: `sha256:${Buffer.from(String(c.body.Image ?? "")).toString("hex").padEnd(64, "0").slice(0, 64)}`,
      labels: { ...(c.body.Labels ?? {}) },
      running: c.status === "running",
      status: c.status,
      exitCode: c.exitCode,
      health: c.health,
      ipcMode: String(host.IpcMode ?? "private"),
      pidMode: String(host.PidMode ?? ""),
      networkMode: String(host.NetworkMode ?? "default"),
      cgroupParent: String(host.CgroupParent ?? ""),
      limits: { memory: Number(host.Memory ?? 0), nanoCpus: Number(host.NanoCpus ?? 0), pidsLimit: Number(host.PidsLimit ?? 0) },
      mounts: mounts.map((m) => ({
        type: m.Type,
        name: m.Type === "volume" ? m.Source : undefined,
        source: m.Source,
        destination: m.Target,
        readOnly: Boolean(m.ReadOnly),
      })),
      tty: Boolean(c.body.Tty),
    };
  }

  async listContainers(labels: Record<string, string | true>): Promise<ContainerSummary[]> {
    await this.step("list");
    return [...this.containers.values()]
      .filter((c) => matches(this.labelsOf(c), labels))
      .map((c) => ({ id: c.id, name: c.name, labels: this.labelsOf(c), state: c.status }));
  }

  async createContainer(name: string, body: CreateBody): Promise<string> {
    await this.step(`create ${name}`);
    if (this.byName(name)) throw new EngineError(`Conflict. The container name "/${name}" is already in use`, 409);
    if (body.Image && !this.hasImage(String(body.Image))) throw new EngineError(`No such image: ${body.Image}`, 404);
    const id = this.newId();
    this.containers.set(id, { id, name, body, status: "created", exitCode: 0, archives: [], logs: [] });
    return id;
  }

  async putArchive(id: string, path: string, tar: Buffer): Promise<void> {
    await this.step(`copy ${this.nameOf(id)}`);
    const c = this.mustFind(id);
    c.archives.push({ path, tar });
  }

  async startContainer(id: string): Promise<void> {
    await this.step(`start ${this.nameOf(id)}`);
    const c = this.mustFind(id);
    if (c.status === "running") return;
    for (const mode of ["NetworkMode", "IpcMode", "PidMode"]) {
      const value = String((c.body.HostConfig as Record<string, unknown> | undefined)?.[mode] ?? "");
      if (value.startsWith("container:")) {
        const other = this.find(value.slice("container:".length));
        if (!other || other.status !== "running") throw new EngineError(`cannot join ${mode} of ${value}: container is not running`, 409);
      }
    }
    c.status = "running";
    c.exitCode = 0;
    this.emit({ kind: "start", id: c.id, labels: this.labelsOf(c) });
    const cmd = ([] as unknown[]).concat(c.body.Cmd ?? []).join(" ");
    const said = /\becho ([^;]*);/.exec(cmd);
    if (said) this.write(c, said[1] + "\n");
    const exit = /exit (\d+)\s*$/.exec(cmd);
    if (exit) setImmediate(() => this.exit(c.id, Number(exit[1])));
    const test = ([] as unknown[]).concat((c.body.Healthcheck as { Test?: unknown } | undefined)?.Test ?? []).join(" ");
    if (test && test !== "NONE") {
      c.health = "starting";
      if (/\btrue\b/.test(test)) setImmediate(() => c.status === "running" && this.setHealth(c.id, "healthy"));
      else if (/\bfalse\b/.test(test)) setImmediate(() => c.status === "running" && this.setHealth(c.id, "unhealthy"));
    }
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    await this.step(`stop ${this.nameOf(id)}`);
    this.stops.push({ name: this.nameOf(id), timeoutSeconds });
    const c = this.find(id);
    if (!c || c.status !== "running") return;
    this.exit(c.id, 143);
  }

  async removeContainer(id: string, options: { force?: boolean } = {}): Promise<void> {
    await this.step(`remove ${this.nameOf(id)}`);
    const c = this.find(id);
    if (!c) return;
    if (c.status === "running") {
      if (!options.force) throw new EngineError(`You cannot remove a running container ${c.id}`, 409);
      this.exit(c.id, 137);
    }
    this.containers.delete(c.id);
  }

  /** The fake exits a container only after its start, so a wait before the start needs no condition of its own. */
  async waitContainer(id: string, _options?: { nextExit?: boolean }): Promise<number> {
    await this.step(`wait ${this.nameOf(id)}`);
    const c = this.mustFind(id);
    if (c.status === "exited") return c.exitCode;
    return new Promise((resolve) => {
      const list = this.waiters.get(c.id) ?? [];
      list.push(resolve);
      this.waiters.set(c.id, list);
    });
  }

  async volumeLabels(name: string): Promise<Record<string, string> | undefined> {
    await this.step(`volume ${name}`);
    const labels = this.volumes.get(name);
    return labels && { ...labels };
  }

  /** Driver options of the volumes createVolume made. */
  readonly volumeOptions = new Map<string, Record<string, string>>();

  async createVolume(name: string, spec: VolumeSpec): Promise<void> {
    await this.step(`create volume ${name}`);
    if (this.volumes.has(name)) throw new EngineError(`volume ${name} exists`, 409);
    this.volumes.set(name, { ...spec.labels });
    this.volumeOptions.set(name, { ...spec.driverOpts });
  }

  async removeVolume(name: string): Promise<void> {
    await this.step(`remove volume ${name}`);
    const inUse = [...this.containers.values()].some((c) =>
      ((c.body.HostConfig?.Mounts as { Type: string; Source: string }[] | undefined) ?? []).some((m) => m.Type === "volume" && m.Source === name),
    );
    if (inUse) throw new EngineError(`volume ${name} is in use`, 409);
    this.volumes.delete(name);
  }

  async apiVersion(): Promise<string> {
    await this.step("version");
    return this.speaks;
  }

  async cgroupSetup(): Promise<CgroupSetup> {
    await this.step("info");
    return { ...this.cgroup };
  }

  async listVolumes(labels: Record<string, string | true>): Promise<{ name: string; labels: Record<string, string> }[]> {
    await this.step("list volumes");
    return [...this.volumes]
      .filter(([, l]) => Object.entries(labels).every(([k, v]) => (v === true ? k in l : l[k] === v)))
      .map(([name, l]) => ({ name, labels: { ...l } }));
  }

  async imageExists(ref: string): Promise<boolean> {
    await this.step(`image ${ref}`);
    return this.hasImage(ref);
  }

  /** Image ids (sha256:...) always resolve: they come from inspecting an existing container. */
  private hasImage(ref: string): boolean {
    return this.images.has(ref) || ref.startsWith("sha256:");
  }

  async pullImage(ref: string, auth?: RegistryAuth): Promise<void> {
    await this.step(`pull ${ref}`);
    this.pulls.push({ ref, auth });
    this.images.add(ref);
  }

  async subscribeEvents(
    labels: Record<string, string>,
    onEvent: (event: EngineEvent) => void,
    onError?: (error: Error) => void,
    options: SubscribeOptions = {},
  ): Promise<EventSubscription> {
    await this.step(options.since ? "subscribe since" : "subscribe");
    const subscriber = { labels, onEvent, onError };
    this.subscribers.add(subscriber);
    if (options.since) {
      const since = BigInt(options.since);
      for (const event of this.history) if (BigInt(event.time!) >= since && matches(event.labels, labels)) setImmediate(() => onEvent(event));
    }
    return {
      close: () => {
        this.calls.push("unsubscribe");
        this.subscribers.delete(subscriber);
      },
    };
  }

  async followLogs(id: string): Promise<Readable> {
    await this.step(`logs ${this.nameOf(id)}`);
    const c = this.mustFind(id);
    return Readable.from(c.logs.map((b) => Buffer.from(b)));
  }

  async attachOutput(id: string): Promise<Readable> {
    await this.step(`attach ${this.nameOf(id)}`);
    const c = this.mustFind(id);
    const stream = new PassThrough();
    if (c.status === "exited") stream.end();
    else this.attached.set(c.id, [...(this.attached.get(c.id) ?? []), stream]);
    return stream;
  }

  /** Stdout output of the container, framed as the engine sends it without a TTY. */
  private write(c: FakeContainer, text: string): void {
    const payload = Buffer.from(text);
    const chunk = c.body.Tty ? payload : Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]), payload]);
    if (!c.body.Tty) chunk.writeUInt32BE(payload.length, 4);
    this.output(c.id, chunk);
  }

  private emit(untimed: EngineEvent): void {
    // nanoseconds like the engine's timeNano; the counter keeps events apart within one millisecond
    const event = { ...untimed, time: (BigInt(Date.now()) * 1_000_000n + (this.eventClock++ % 1_000_000n)).toString() };
    this.history.push(event);
    for (const s of [...this.subscribers]) if (matches(event.labels, s.labels)) setImmediate(() => s.onEvent(event));
  }

  private async step(call: string): Promise<void> {
    this.calls.push(call);
    if (this.unreachable) throw new EngineUnreachable("connect ENOENT /var/run/docker.sock");
    await this.delay?.(call);
  }

  private newId(): string {
    return (this.nextId++).toString(16).padStart(64, "0");
  }

  private labelsOf(c: FakeContainer): Record<string, string> {
    return { ...(c.body.Labels ?? {}) };
  }

  private nameOf(id: string): string {
    return this.find(id)?.name ?? id;
  }

  private find(idOrName: string): FakeContainer | undefined {
    return this.containers.get(idOrName) ?? this.byName(idOrName) ?? [...this.containers.values()].find((c) => idOrName.length >= 12 && c.id.startsWith(idOrName));
  }

  private mustFind(id: string): FakeContainer {
    const c = this.find(id);
    if (!c) throw new EngineError(`No such container: ${id}`, 404);
    return c;
  }
}

function matches(have: Record<string, string>, want: Record<string, string | true>): boolean {
  return Object.entries(want).every(([k, v]) => (v === true ? k in have : have[k] === v));
}
