/**
 * The seam between the controller and the Docker engine. The supervisor sees
 * only these podlike types; http-engine.ts maps them onto the Engine API
 * and test/support/fake-engine.ts keeps them in memory for unit tests.
 */
import type { Readable } from "node:stream";

/** The body of POST /containers/create (Engine API field names: Image, Cmd, HostConfig, ...). */
export type CreateBody = Record<string, unknown> & { Image?: string; Labels?: Record<string, string>; HostConfig?: Record<string, unknown> };

export interface ContainerMount {
  type: string;
  /** Volume name (type "volume"). */
  name?: string;
  source: string;
  destination: string;
  readOnly: boolean;
}

export type HealthStatus = "starting" | "healthy" | "unhealthy";

export interface VolumeSpec {
  driver: string;
  driverOpts: Record<string, string>;
  labels: Record<string, string>;
}

/** HostConfig limits of a container (0: none). */
export interface ContainerLimits {
  /** Bytes. */
  memory: number;
  nanoCpus: number;
  pidsLimit: number;
}

export interface CgroupSetup {
  /** "cgroupfs" or "systemd". */
  driver: string;
  /** "1" or "2". */
  version: string;
}

export interface ContainerInfo {
  id: string;
  /** Without the leading "/". */
  name: string;
  /** Image id (sha256:...), what the container really runs. */
  imageId: string;
  labels: Record<string, string>;
  running: boolean;
  /** created, running, exited, ... */
  status: string;
  exitCode: number;
  /** Present only when the container has a health check. */
  health?: HealthStatus;
  ipcMode: string;
  pidMode: string;
  networkMode: string;
  cgroupParent: string;
  limits?: ContainerLimits;
  mounts: ContainerMount[];
  /** Config.Tty: logs then come as one raw stream. */
  tty: boolean;
}

export interface ContainerSummary {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** created, running, exited, ... */
  state: string;
}

/** `time`: when the engine saw it, in nanoseconds since the epoch (the API's timeNano), as a decimal string. */
export type EngineEvent =
  | { kind: "start"; id: string; labels: Record<string, string>; time?: string }
  | { kind: "die"; id: string; labels: Record<string, string>; exitCode: number; time?: string }
  | { kind: "health"; id: string; labels: Record<string, string>; health: HealthStatus; time?: string };

export interface EventSubscription {
  close(): void;
}

export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress?: string;
}

/** Thrown for engine replies the caller may want to tell apart (404, 409, ...); EngineUnreachable when none came. */
export { EngineError, EngineUnreachable, isMissingImage, isUnreachable } from "./errors.js";

export interface SubscribeOptions {
  /** Replay events from this time on (nanoseconds since the epoch, as EngineEvent.time), then follow. */
  since?: string;
}

export interface Engine {
  /** The Engine API version the engine speaks ("1.41"): what the create body may hold. */
  apiVersion(): Promise<string>;
  /** How the node's engine makes cgroups (GET /info). */
  cgroupSetup(): Promise<CgroupSetup>;
  /** undefined when no such container exists. */
  inspectContainer(idOrName: string): Promise<ContainerInfo | undefined>;
  /** All containers (running or not) carrying every given label; a value of `true` matches any value. */
  listContainers(labels: Record<string, string | true>): Promise<ContainerSummary[]>;
  /** Returns the new container's id. A taken name is an EngineError 409. */
  createContainer(name: string, body: CreateBody): Promise<string>;
  /** Extracts a tar archive into the container's filesystem at `path`. */
  putArchive(id: string, path: string, tar: Buffer): Promise<void>;
  startContainer(id: string): Promise<void>;
  /** Stops with SIGTERM (or the container's stop signal), killing after `timeoutSeconds`. Not running or gone is fine. */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  /** Removes the container and its anonymous volumes. Already gone is fine. */
  removeContainer(id: string, options?: { force?: boolean }): Promise<void>;
  /**
   * Resolves with the exit code once the container has stopped. With `nextExit`, called before the
   * start, it waits for the exit that start leads to, which it reports even when the engine then
   * removes the container (AutoRemove).
   */
  waitContainer(id: string, options?: { nextExit?: boolean }): Promise<number>;
  /** The volume's labels; undefined when no such volume exists. */
  volumeLabels(name: string): Promise<Record<string, string> | undefined>;
  /** Creates a volume (a 409 when the name is taken by another). */
  createVolume(name: string, spec: VolumeSpec): Promise<void>;
  /** Removes a volume. Already gone is fine. */
  removeVolume(name: string): Promise<void>;
  /** Names of the volumes carrying every given label; a value of `true` matches any value. */
  listVolumes(labels: Record<string, string | true>): Promise<{ name: string; labels: Record<string, string> }[]>;
  imageExists(ref: string): Promise<boolean>;
  pullImage(ref: string, auth?: RegistryAuth): Promise<void>;
  /**
   * Container events (start, die, health) of containers carrying every given label. Resolves once subscribed.
   * onError is called once when the stream ends or breaks without close() (the engine went away, or restarts).
   */
  subscribeEvents(
    labels: Record<string, string>,
    onEvent: (event: EngineEvent) => void,
    onError?: (error: Error) => void,
    options?: SubscribeOptions,
  ): Promise<EventSubscription>;
  /** The container's output from its start (or from `sinceSeconds`), followed; raw bytes (multiplexed frames unless the container has a TTY). */
  followLogs(id: string, options?: { sinceSeconds?: number }): Promise<Readable>;
  /**
   * The output of a created container from its coming start, as `followLogs` gives it, until it exits.
   * Called before the start: unlike the logs of a container the engine auto-removes, nothing of a short life is lost.
   */
  attachOutput(id: string): Promise<Readable>;
}
