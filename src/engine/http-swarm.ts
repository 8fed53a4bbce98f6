/** The Swarm interface over the Engine API, with the small node:http client. */
import type { Readable } from "node:stream";
import type { EngineTarget } from "./connection.js";
import { EngineHttp, type Query } from "./http.js";
import type {
  ContainerRow,
  EngineSpec,
  ListFilter,
  ServiceLogOptions,
  ServiceSpec,
  StoredObject,
  StoredObjectKind,
  Swarm,
  SwarmNetwork,
  SwarmNode,
  SwarmService,
  SwarmTask,
} from "./swarm.js";

/** The parts of the Engine API's replies read here. */
interface RawService {
  ID: string;
  Version: { Index: number };
  Spec: ServiceSpec & { Name: string };
  PreviousSpec?: ServiceSpec;
  UpdateStatus?: { State?: string; Message?: string };
}
interface RawTask {
  ID: string;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  DesiredState: string;
  CreatedAt?: string;
  Status?: { State?: string; Err?: string; Message?: string; Timestamp?: string; ContainerStatus?: { ContainerID?: string } };
}
interface RawNode {
  ID: string;
  Description?: { Hostname?: string };
  Spec?: { Role?: string; Availability?: string };
  Status?: { State?: string; Addr?: string };
}
interface RawNetwork {
  Id: string;
  Name: string;
  Scope?: string;
  Labels?: Record<string, string> | null;
}
interface RawStored {
  ID: string;
  Spec: { Name: string; Labels?: Record<string, string> | null };
}
interface RawContainer {
  Id: string;
  Names?: string[];
  Labels?: Record<string, string> | null;
  State?: string;
  Status?: string;
}

const filters = (filter: ListFilter | undefined): Query => {
  const present = Object.entries(filter ?? {}).filter(([, values]) => values !== undefined);
  return present.length ? { filters: JSON.stringify(Object.fromEntries(present)) } : {};
};

const PATH: Record<StoredObjectKind, string> = { config: "/configs", secret: "/secrets" };

export class HttpSwarm implements Swarm {
  readonly address: string;
  private readonly http: EngineHttp;

  constructor(target: EngineTarget) {
    this.address = target.address;
    this.http = new EngineHttp(target.options);
  }

  async checkManager(): Promise<void> {
    await this.http.json("GET", "/swarm");
  }

  async apiVersion(): Promise<string> {
    return this.http.apiVersion();
  }

  async listServices(filter?: ListFilter): Promise<SwarmService[]> {
    const raw = await this.http.json<RawService[]>("GET", "/services", { query: filters(filter) });
    return raw.map(toService);
  }

  async inspectService(id: string): Promise<SwarmService> {
    return toService(await this.http.json<RawService>("GET", `/services/${encodeURIComponent(id)}`));
  }

  async createService(spec: ServiceSpec): Promise<string> {
    return (await this.http.json<{ ID: string }>("POST", "/services/create", { body: spec })).ID;
  }

  async updateService(id: string, version: number, spec: ServiceSpec): Promise<void> {
    await this.http.json("POST", `/services/${encodeURIComponent(id)}/update`, { query: { version }, body: spec });
  }

  async removeService(id: string): Promise<void> {
    await this.http.json("DELETE", `/services/${encodeURIComponent(id)}`);
  }

  async listTasks(filter?: ListFilter): Promise<SwarmTask[]> {
    const raw = await this.http.json<RawTask[]>("GET", "/tasks", { query: filters(filter) });
    return raw.map(toTask);
  }

  async listNodes(): Promise<SwarmNode[]> {
    const raw = await this.http.json<RawNode[]>("GET", "/nodes");
    return raw.map((n) => ({
      id: n.ID,
      hostname: n.Description?.Hostname ?? n.ID,
      role: n.Spec?.Role ?? "",
      state: n.Status?.State ?? "",
      availability: n.Spec?.Availability ?? "",
      address: n.Status?.Addr ?? "",
    }));
  }

  async listNetworks(filter?: ListFilter): Promise<SwarmNetwork[]> {
    const raw = await this.http.json<RawNetwork[]>("GET", "/networks", { query: filters(filter) });
    return raw.map((n) => ({ id: n.Id, name: n.Name, scope: n.Scope ?? "", labels: n.Labels ?? {} }));
  }

  async createNetwork(create: EngineSpec): Promise<string> {
    return (await this.http.json<{ Id: string }>("POST", "/networks/create", { body: create })).Id;
  }

  async removeNetwork(id: string): Promise<void> {
    await this.http.json("DELETE", `/networks/${encodeURIComponent(id)}`);
  }

  async listObjects(kind: StoredObjectKind, filter?: ListFilter): Promise<StoredObject[]> {
    const raw = await this.http.json<RawStored[]>("GET", PATH[kind], { query: filters(filter) });
    return raw.map((o) => ({ id: o.ID, name: o.Spec.Name, labels: o.Spec.Labels ?? {} }));
  }

  async createObject(kind: StoredObjectKind, spec: EngineSpec, data?: Buffer): Promise<string> {
    const body = data ? { ...spec, Data: data.toString("base64") } : spec;
    return (await this.http.json<{ ID: string }>("POST", `${PATH[kind]}/create`, { body })).ID;
  }

  async removeObject(kind: StoredObjectKind, id: string): Promise<void> {
    await this.http.json("DELETE", `${PATH[kind]}/${encodeURIComponent(id)}`);
  }

  async listContainers(filter: ListFilter): Promise<ContainerRow[]> {
    const raw = await this.http.json<RawContainer[]>("GET", "/containers/json", { query: { all: true, ...filters(filter) } });
    return raw.map((c) => ({
      id: c.Id,
      name: (c.Names?.[0] ?? c.Id).replace(/^\//, ""),
      labels: c.Labels ?? {},
      state: c.State ?? "",
      status: c.Status ?? "",
    }));
  }

  serviceLogs(id: string, options: ServiceLogOptions = {}): Promise<Readable> {
    return this.logs(`/services/${encodeURIComponent(id)}/logs`, options);
  }

  taskLogs(id: string, options: ServiceLogOptions = {}): Promise<Readable> {
    return this.logs(`/tasks/${encodeURIComponent(id)}/logs`, options);
  }

  private logs(path: string, options: ServiceLogOptions): Promise<Readable> {
    return this.http.stream("GET", path, {
      query: {
        stdout: true,
        stderr: true,
        follow: options.follow ?? false,
        timestamps: options.timestamps ?? false,
        tail: options.tail ?? "all",
        since: options.since,
      },
      signal: options.signal,
    });
  }

  close(): void {
    this.http.close();
  }
}

function toService(s: RawService): SwarmService {
  const service: SwarmService = { id: s.ID, name: s.Spec.Name, version: s.Version.Index, spec: s.Spec };
  if (s.PreviousSpec) service.previousSpec = s.PreviousSpec;
  if (s.UpdateStatus?.State) service.updateState = s.UpdateStatus.State;
  if (s.UpdateStatus?.Message) service.updateMessage = s.UpdateStatus.Message;
  return service;
}

function toTask(t: RawTask): SwarmTask {
  const task: SwarmTask = { id: t.ID, serviceId: t.ServiceID, desiredState: t.DesiredState, state: t.Status?.State ?? "" };
  if (t.Slot) task.slot = t.Slot;
  if (t.NodeID) task.nodeId = t.NodeID;
  if (t.Status?.Err) task.err = t.Status.Err;
  if (t.Status?.Message) task.message = t.Status.Message;
  if (t.Status?.Timestamp) task.timestamp = t.Status.Timestamp;
  if (t.CreatedAt) task.createdAt = t.CreatedAt;
  if (t.Status?.ContainerStatus?.ContainerID) task.containerId = t.Status.ContainerStatus.ContainerID;
  return task;
}
