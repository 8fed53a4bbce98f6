/**
 * The Swarm side of the engine as deploy, rm, ps and logs use it, in podlike's
 * own types. Specs stay Engine API JSON (ServiceSpec, NetworkCreate,
 * ConfigSpec): deploy builds, sends and compares them as data. http-swarm.ts
 * speaks it to a real engine; test/support/fake-swarm.ts keeps it in memory,
 * and one contract suite holds both to the same behaviour.
 *
 * Failures: an engine reply is an EngineError with its status (404 for an
 * object that is gone, 409 for a taken name, ...); an unreachable engine is
 * the socket's own error. engineFailure (errors.ts) words either for the user.
 */
import type { Readable } from "node:stream";

/** Engine API JSON (PascalCase keys): sent and compared as data, so only the fields podlike reads are typed (below). */
export type EngineSpec = Record<string, unknown>;

/** A config or secret reference in a ContainerSpec. */
export interface FileReference extends EngineSpec {
  ConfigID?: string;
  ConfigName?: string;
  SecretID?: string;
  SecretName?: string;
}

export interface NetworkAttachment extends EngineSpec {
  Target: string;
}

export interface ContainerSpecData extends EngineSpec {
  Image?: string;
  Args?: string[];
  Labels?: Record<string, string>;
  Configs?: FileReference[];
  Secrets?: FileReference[];
  Privileges?: EngineSpec & { CredentialSpec?: EngineSpec & { Config?: string } };
}

export interface ServiceMode extends EngineSpec {
  Replicated?: { Replicas?: number };
  Global?: EngineSpec;
  ReplicatedJob?: { TotalCompletions?: number; MaxConcurrent?: number };
  GlobalJob?: EngineSpec;
}

/** An Engine API ServiceSpec: the fields podlike reads are typed, the rest travels as it is. */
export interface ServiceSpec extends EngineSpec {
  Name?: string;
  Labels?: Record<string, string>;
  Mode?: ServiceMode;
  TaskTemplate?: EngineSpec & {
    ContainerSpec?: ContainerSpecData;
    ForceUpdate?: number;
    Networks?: NetworkAttachment[];
    LogDriver?: EngineSpec & { Name?: string };
  };
}

/** The engine's list filters; every given value must match ("label" entries are "key" or "key=value"). */
export interface ListFilter {
  label?: string[];
  id?: string[];
  /** Tasks only: the services they belong to. */
  service?: string[];
}

export interface SwarmService {
  id: string;
  name: string;
  /** Swarm's object version: an update must name the one it read. */
  version: number;
  spec: ServiceSpec;
  /** What Swarm rolls back to. */
  previousSpec?: ServiceSpec;
  /** updating, paused, completed, rollback_started, rollback_paused, rollback_completed. */
  updateState?: string;
  updateMessage?: string;
}

export interface SwarmTask {
  id: string;
  serviceId: string;
  /** Replicated services number their tasks; global ones place one per node. */
  slot?: number;
  nodeId?: string;
  desiredState: string;
  state: string;
  err?: string;
  message?: string;
  /** When the task reached its state. */
  timestamp?: string;
  createdAt?: string;
  containerId?: string;
}

export interface SwarmNode {
  id: string;
  hostname: string;
  role: string;
  /** ready, down, unknown, disconnected. */
  state: string;
  /** active, pause, drain. */
  availability: string;
  /** The node's address as Swarm sees it. */
  address: string;
}

export interface SwarmNetwork {
  id: string;
  name: string;
  /** "swarm" for networks a stack can own; "local" ones belong to one engine. */
  scope: string;
  labels: Record<string, string>;
}

export type StoredObjectKind = "config" | "secret";

/** A config or secret; its content never comes back from the engine. */
export interface StoredObject {
  id: string;
  name: string;
  labels: Record<string, string>;
}

/** A container on the engine podlike talks to. */
export interface ContainerRow {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** created, running, exited, ... */
  state: string;
  /** "Up 2 seconds", "Exited (0) 1 minute ago". */
  status: string;
}

export interface ServiceLogOptions {
  follow?: boolean;
  /** Lines from the end ("all" when absent). */
  tail?: number | "all";
  timestamps?: boolean;
  /** The Engine API's form: Unix seconds, with a fraction down to nanoseconds ("1700000000.123456789"). */
  since?: string;
  /** Ends the request (and a followed stream). */
  signal?: AbortSignal;
}

export interface Swarm {
  /** The engine, as the user is told it ("unix:///var/run/docker.sock"). */
  readonly address: string;
  /** Resolves when the engine is a Swarm manager; an EngineError 503 names why not. */
  checkManager(): Promise<void>;
  /** The Engine API version the engine speaks ("1.41"): what a service spec may hold. */
  apiVersion(): Promise<string>;

  listServices(filter?: ListFilter): Promise<SwarmService[]>;
  inspectService(id: string): Promise<SwarmService>;
  /** Returns the new service's ID. */
  createService(spec: ServiceSpec): Promise<string>;
  /** `version` must be the one last read: otherwise an EngineError "update out of sequence". */
  updateService(id: string, version: number, spec: ServiceSpec): Promise<void>;
  removeService(id: string): Promise<void>;

  listTasks(filter?: ListFilter): Promise<SwarmTask[]>;
  listNodes(): Promise<SwarmNode[]>;

  listNetworks(filter?: ListFilter): Promise<SwarmNetwork[]>;
  /** `create` is the NetworkCreate body, Name included. Returns the ID. */
  createNetwork(create: EngineSpec): Promise<string>;
  removeNetwork(id: string): Promise<void>;

  listObjects(kind: StoredObjectKind, filter?: ListFilter): Promise<StoredObject[]>;
  /** `spec` is the ConfigSpec / SecretSpec without Data. Returns the ID. */
  createObject(kind: StoredObjectKind, spec: EngineSpec, data?: Buffer): Promise<string>;
  /** One still used by a service is an EngineError 400 "... is in use by ...". */
  removeObject(kind: StoredObjectKind, id: string): Promise<void>;

  /** Containers (running or not) on this engine carrying every given label. */
  listContainers(filter: ListFilter): Promise<ContainerRow[]>;
  /** A service's output from all its tasks: raw bytes, multiplexed frames unless the service has a TTY. */
  serviceLogs(id: string, options?: ServiceLogOptions): Promise<Readable>;
  /**
   * One task's output, which the manager fetches from the task's node; the same bytes as
   * serviceLogs. For a task on a node that is down the engine neither answers nor fails: it waits.
   */
  taskLogs(id: string, options?: ServiceLogOptions): Promise<Readable>;

  /** Lets go of kept-alive connections. */
  close(): void;
}
