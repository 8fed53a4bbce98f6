/**
 * An in-memory Swarm for unit tests of deploy, rm and ps. It keeps the
 * engine's observable rules the code relies on: label, id and service
 * filters; 404 for what is gone; 409 for a taken name; versions that must
 * match on update ("update out of sequence"); configs and secrets in use
 * cannot be removed. Services get their tasks at once, all running; tests
 * seed `tasks`, `containers` and `logs` directly for anything else.
 */
import { Readable } from "node:stream";
import { EngineError } from "../../src/engine/errors.js";
import type {
  ContainerRow,
  EngineSpec,
  ListFilter,
  StoredObject,
  StoredObjectKind,
  Swarm,
  SwarmNetwork,
  SwarmNode,
  SwarmService,
  SwarmTask,
} from "../../src/engine/swarm.js";

interface FakeStored extends StoredObject {
  data?: Buffer;
}

const labelsMatch = (labels: Record<string, string>, wanted: string[] | undefined): boolean =>
  (wanted ?? []).every((w) => {
    const at = w.indexOf("=");
    return at < 0 ? w in labels : labels[w.slice(0, at)] === w.slice(at + 1);
  });

const idMatches = (id: string, wanted: string[] | undefined): boolean => !wanted || wanted.some((w) => id.startsWith(w));

const copy = <T>(value: T): T => structuredClone(value);

export class FakeSwarm implements Swarm {
  readonly address = "fake://swarm";
  readonly services = new Map<string, SwarmService>();
  tasks: SwarmTask[] = [];
  readonly nodes: SwarmNode[] = [{ id: "node1", hostname: "fake-node", role: "manager", state: "ready", availability: "active", address: "127.0.0.1" }];
  readonly networks = new Map<string, SwarmNetwork>();
  readonly objects: Record<StoredObjectKind, Map<string, FakeStored>> = { config: new Map(), secret: new Map() };
  containers: ContainerRow[] = [];
  /** Output of each service, by service ID. */
  readonly logs = new Map<string, Buffer>();
  /** Output of each task, by task ID; an Error is the engine's refusal. */
  readonly taskOutput = new Map<string, Buffer | Error>();
  /** Task IDs whose output was asked for, in order. */
  readonly taskLogRequests: string[] = [];
  /** Every call that changes something, in order ("createService st_web"). */
  readonly calls: string[] = [];
  /** Set to refuse checkManager with the engine's 503 message. */
  notManager?: string;
  /** The Engine API version it claims to speak (1.41, the engine these tests run against, unless set). */
  engineApiVersion = "1.41";
  private nextId = 1;
  closed = false;

  private id(prefix: string): string {
    return `${prefix}${(this.nextId++).toString(36).padStart(24, "0")}`;
  }

  async checkManager(): Promise<void> {
    if (this.notManager) throw new EngineError(this.notManager, 503);
  }

  async apiVersion(): Promise<string> {
    return this.engineApiVersion;
  }

  async listServices(filter: ListFilter = {}): Promise<SwarmService[]> {
    return [...this.services.values()]
      .filter((s) => labelsMatch(s.spec.Labels ?? {}, filter.label) && idMatches(s.id, filter.id))
      .map(copy);
  }

  async inspectService(id: string): Promise<SwarmService> {
    return copy(this.service(id));
  }

  async createService(spec: EngineSpec): Promise<string> {
    const name = String(spec.Name ?? "");
    if ([...this.services.values()].some((s) => s.name === name)) throw new EngineError(`rpc error: code = AlreadyExists desc = name conflicts with an existing object: service ${name} already exists`, 409);
    this.calls.push(`createService ${name}`);
    const id = this.id("svc");
    this.services.set(id, { id, name, version: 1, spec: copy(spec) });
    this.scheduleTasks(id, spec);
    return id;
  }

  async updateService(id: string, version: number, spec: EngineSpec): Promise<void> {
    const service = this.service(id);
    if (service.version !== version) throw new EngineError("rpc error: code = Unknown desc = update out of sequence", 500);
    this.calls.push(`updateService ${service.name}`);
    service.previousSpec = service.spec;
    service.spec = copy(spec);
    service.version += 1;
  }

  async removeService(id: string): Promise<void> {
    const service = this.service(id);
    this.calls.push(`removeService ${service.name}`);
    this.services.delete(service.id);
    this.tasks = this.tasks.filter((t) => t.serviceId !== service.id);
  }

  async listTasks(filter: ListFilter = {}): Promise<SwarmTask[]> {
    return this.tasks
      .filter((t) => {
        const service = this.services.get(t.serviceId);
        return labelsMatch(service?.spec.Labels ?? {}, filter.label) && idMatches(t.id, filter.id) && idMatches(t.serviceId, filter.service);
      })
      .map(copy);
  }

  async listNodes(): Promise<SwarmNode[]> {
    return this.nodes.map(copy);
  }

  async listNetworks(filter: ListFilter = {}): Promise<SwarmNetwork[]> {
    return [...this.networks.values()].filter((n) => labelsMatch(n.labels, filter.label) && idMatches(n.id, filter.id)).map(copy);
  }

  async createNetwork(create: EngineSpec): Promise<string> {
    const name = String(create.Name ?? "");
    if ([...this.networks.values()].some((n) => n.name === name)) throw new EngineError(`network with name ${name} already exists`, 409);
    this.calls.push(`createNetwork ${name}`);
    const id = this.id("net");
    this.networks.set(id, { id, name, scope: create.Driver === "overlay" || create.Driver === undefined ? "swarm" : "local", labels: { ...(create.Labels ?? {}) } });
    return id;
  }

  async removeNetwork(id: string): Promise<void> {
    const network = [...this.networks.values()].find((n) => n.id === id || n.name === id);
    if (!network) throw new EngineError(`network ${id} not found`, 404);
    this.calls.push(`removeNetwork ${network.name}`);
    this.networks.delete(network.id);
  }

  async listObjects(kind: StoredObjectKind, filter: ListFilter = {}): Promise<StoredObject[]> {
    return [...this.objects[kind].values()]
      .filter((o) => labelsMatch(o.labels, filter.label) && idMatches(o.id, filter.id))
      .map(({ id, name, labels }) => ({ id, name, labels: { ...labels } }));
  }

  async createObject(kind: StoredObjectKind, spec: EngineSpec, data?: Buffer): Promise<string> {
    const name = String(spec.Name ?? "");
    if ([...this.objects[kind].values()].some((o) => o.name === name)) throw new EngineError(`rpc error: code = AlreadyExists desc = ${kind} ${name} already exists`, 409);
    this.calls.push(`create${kind === "config" ? "Config" : "Secret"} ${name}`);
    const id = this.id(kind.slice(0, 3));
    this.objects[kind].set(id, { id, name, labels: { ...(spec.Labels ?? {}) }, data });
    return id;
  }

  async removeObject(kind: StoredObjectKind, id: string): Promise<void> {
    const object = this.objects[kind].get(id);
    if (!object) throw new EngineError(`${kind} ${id} not found`, 404);
    const field = kind === "config" ? "Configs" : "Secrets";
    const users = [...this.services.values()].filter((s) =>
      ((s.spec.TaskTemplate?.ContainerSpec?.[field] ?? []) as { [k: string]: string }[]).some((ref) => ref[`${kind === "config" ? "Config" : "Secret"}ID`] === id),
    );
    if (users.length) throw new EngineError(`rpc error: code = InvalidArgument desc = ${kind} '${object.name}' is in use by the following service: ${users.map((u) => u.name).join(", ")}`, 400);
    this.calls.push(`remove${kind === "config" ? "Config" : "Secret"} ${object.name}`);
    this.objects[kind].delete(id);
  }

  async listContainers(filter: ListFilter): Promise<ContainerRow[]> {
    return this.containers.filter((c) => labelsMatch(c.labels, filter.label) && idMatches(c.id, filter.id)).map(copy);
  }

  async serviceLogs(id: string): Promise<Readable> {
    const service = this.service(id);
    return Readable.from([this.logs.get(service.id) ?? Buffer.alloc(0)]);
  }

  async taskLogs(id: string): Promise<Readable> {
    this.taskLogRequests.push(id);
    if (!this.tasks.some((t) => t.id === id)) throw new EngineError(`task ${id} not found`, 404);
    const output = this.taskOutput.get(id) ?? Buffer.alloc(0);
    if (output instanceof Error) throw output;
    return Readable.from([output]);
  }

  close(): void {
    this.closed = true;
  }

  private service(idOrName: string): SwarmService {
    const service = this.services.get(idOrName) ?? [...this.services.values()].find((s) => s.name === idOrName);
    if (!service) throw new EngineError(`service ${idOrName} not found`, 404);
    return service;
  }

  private scheduleTasks(serviceId: string, spec: EngineSpec): void {
    const replicas = spec.Mode?.Global ? this.nodes.length : Number(spec.Mode?.Replicated?.Replicas ?? (spec.Mode?.ReplicatedJob || spec.Mode?.GlobalJob ? 0 : 1));
    for (let slot = 1; slot <= replicas; slot++) {
      const id = this.id("task");
      this.tasks.push({ id, serviceId, ...(spec.Mode?.Global ? {} : { slot }), nodeId: this.nodes[0]!.id, desiredState: "running", state: "running", createdAt: new Date().toISOString(), containerId: this.id("ctr").padEnd(64, "0") });
    }
  }
}
