/**
 * The production Engine: dockerode over the connection engineTarget reads
 * (DOCKER_HOST, or /var/run/docker.sock). The only controller file that uses dockerode.
 */
import type { Readable } from "node:stream";
import type Dockerode from "dockerode";
import {
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
} from "./container-engine.js";
import { loadDockerode } from "./load-dockerode.js";
import type { ConnectionOptions } from "./connection.js";
import { toEngineError } from "./errors.js";

type StatusError = Error & { statusCode?: number; json?: { message?: string }; code?: string };

/** Engine API timestamps are seconds with an optional fraction: "1700000000.123456789". */
export function apiTimestamp(nanoseconds: string): string {
  const digits = nanoseconds.replace(/^0+/, "").padStart(10, "0");
  return `${digits.slice(0, -9) || "0"}.${digits.slice(-9)}`;
}

const isHealth = (s: unknown): s is HealthStatus => s === "starting" || s === "healthy" || s === "unhealthy";

export class DockerodeEngine implements Engine {
  private readonly docker: Dockerode;

  constructor(options?: ConnectionOptions) {
    const Docker = loadDockerode();
    this.docker = new Docker(options);
  }

  async inspectContainer(idOrName: string): Promise<ContainerInfo | undefined> {
    let raw: Dockerode.ContainerInspectInfo;
    try {
      raw = await this.docker.getContainer(idOrName).inspect();
    } catch (error) {
      if ((error as StatusError).statusCode === 404) return undefined;
      throw toEngineError(error);
    }
    const health = (raw.State as { Health?: { Status?: string } }).Health?.Status;
    const host = raw.HostConfig as Record<string, unknown>;
    return {
      id: raw.Id,
      name: raw.Name.replace(/^\//, ""),
      imageId: raw.Image,
      labels: raw.Config.Labels ?? {},
      running: raw.State.Running,
      status: raw.State.Status,
      exitCode: raw.State.ExitCode,
      health: isHealth(health) ? health : undefined,
      ipcMode: String(host.IpcMode ?? ""),
      pidMode: String(host.PidMode ?? ""),
      networkMode: String(host.NetworkMode ?? ""),
      cgroupParent: String(host.CgroupParent ?? ""),
      limits: { memory: Number(host.Memory ?? 0), nanoCpus: Number(host.NanoCpus ?? 0), pidsLimit: Number(host.PidsLimit ?? 0) },
      mounts: (raw.Mounts ?? []).map((m) => ({
        type: m.Type ?? "",
        name: m.Name || undefined,
        source: m.Source,
        destination: m.Destination,
        readOnly: !m.RW,
      })),
      tty: Boolean(raw.Config.Tty),
    };
  }

  async listContainers(labels: Record<string, string | true>): Promise<ContainerSummary[]> {
    const label = Object.entries(labels).map(([k, v]) => (v === true ? k : `${k}=${v}`));
    try {
      const list = await this.docker.listContainers({ all: true, filters: { label } });
      return list.map((c) => ({ id: c.Id, name: (c.Names[0] ?? "").replace(/^\//, ""), labels: c.Labels ?? {}, state: c.State }));
    } catch (error) {
      throw toEngineError(error);
    }
  }

  async createContainer(name: string, body: CreateBody): Promise<string> {
    try {
      const container = await this.docker.createContainer({ ...body, name } as Dockerode.ContainerCreateOptions);
      return container.id;
    } catch (error) {
      throw toEngineError(error);
    }
  }

  async putArchive(id: string, path: string, tar: Buffer): Promise<void> {
    try {
      await this.docker.getContainer(id).putArchive(tar, { path });
    } catch (error) {
      throw toEngineError(error);
    }
  }

  async startContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start();
    } catch (error) {
      if ((error as StatusError).statusCode === 304) return;
      throw toEngineError(error);
    }
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: Math.max(0, Math.ceil(timeoutSeconds)) });
    } catch (error) {
      const status = (error as StatusError).statusCode;
      if (status === 304 || status === 404) return;
      throw toEngineError(error);
    }
  }

  async removeContainer(id: string, options: { force?: boolean } = {}): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: options.force ?? false, v: true });
    } catch (error) {
      const e = error as StatusError;
      if (e.statusCode === 404) return;
      // "removal of container ... is already in progress"
      if (e.statusCode === 409 && /already in progress/.test(toEngineError(error).message)) return;
      throw toEngineError(error);
    }
  }

  async waitContainer(id: string, options: { nextExit?: boolean } = {}): Promise<number> {
    try {
      const result = (await this.docker.getContainer(id).wait(options.nextExit ? { condition: "next-exit" } : {})) as { StatusCode?: number };
      return result.StatusCode ?? 0;
    } catch (error) {
      throw toEngineError(error);
    }
  }

  async volumeLabels(name: string): Promise<Record<string, string> | undefined> {
    try {
      const raw = await this.docker.getVolume(name).inspect();
      return raw.Labels ?? {};
    } catch (error) {
      if ((error as StatusError).statusCode === 404) return undefined;
      throw toEngineError(error);
    }
  }

  async createVolume(name: string, spec: VolumeSpec): Promise<void> {
    try {
      await this.docker.createVolume({ Name: name, Driver: spec.driver, DriverOpts: spec.driverOpts, Labels: spec.labels });
    } catch (error) {
      throw toEngineError(error);
    }
  }

  async removeVolume(name: string): Promise<void> {
    try {
      await this.docker.getVolume(name).remove();
    } catch (error) {
      if ((error as StatusError).statusCode === 404) return;
      throw toEngineError(error);
    }
  }

  async apiVersion(): Promise<string> {
    try {
      return String(((await this.docker.version()) as { ApiVersion?: string }).ApiVersion);
    } catch (error) {
      throw toEngineError(error);
    }
  }

  async listVolumes(labels: Record<string, string | true>): Promise<{ name: string; labels: Record<string, string> }[]> {
    try {
      const label = Object.entries(labels).map(([k, v]) => (v === true ? k : `${k}=${v}`));
      const raw = (await this.docker.listVolumes({ filters: { label } })) as { Volumes?: { Name: string; Labels?: Record<string, string> | null }[] };
      return (raw.Volumes ?? []).map((v) => ({ name: v.Name, labels: v.Labels ?? {} }));
    } catch (error) {
      throw toEngineError(error);
    }
  }

  async imageExists(ref: string): Promise<boolean> {
    try {
      await this.docker.getImage(ref).inspect();
      return true;
    } catch (error) {
      if ((error as StatusError).statusCode === 404) return false;
      throw toEngineError(error);
    }
  }

  async pullImage(ref: string, auth?: RegistryAuth): Promise<void> {
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.pull(ref, auth ? { authconfig: auth } : {});
    } catch (error) {
      throw toEngineError(error);
    }
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (error: Error | null) => (error ? reject(toEngineError(error)) : resolve()),
        (event: { error?: string; errorDetail?: { message?: string } }) => {
          if (event.error) reject(new EngineError(event.errorDetail?.message ?? event.error, 500));
        },
      );
    });
  }

  async subscribeEvents(
    labels: Record<string, string>,
    onEvent: (event: EngineEvent) => void,
    onError?: (error: Error) => void,
    options: SubscribeOptions = {},
  ): Promise<EventSubscription> {
    const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
    let stream: NodeJS.ReadableStream & { destroy?: () => void };
    try {
      stream = (await this.docker.getEvents({
        filters: { type: ["container"], event: ["start", "die", "health_status"], label },
        ...(options.since ? { since: apiTimestamp(options.since) } : {}),
      } as Dockerode.GetEventsOptions)) as NodeJS.ReadableStream & { destroy?: () => void };
    } catch (error) {
      throw toEngineError(error);
    }
    let closed = false;
    // a stream breaks with "error", ends with "end", or (socket torn down) only closes: report the first, once
    const lost = (error: Error) => {
      if (closed) return;
      closed = true;
      onError?.(error);
    };
    let pending = "";
    stream.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (!line) continue;
        const event = toEngineEvent(JSON.parse(line));
        if (event) onEvent(event);
      }
    });
    stream.on("error", (error: Error) => lost(toEngineError(error)));
    stream.on("end", () => lost(new EngineUnreachable("the engine closed the event stream")));
    stream.on("close", () => lost(new EngineUnreachable("the event stream's connection closed")));
    return {
      close() {
        closed = true;
        stream.destroy?.();
      },
    };
  }

  async followLogs(id: string, options: { sinceSeconds?: number } = {}): Promise<Readable> {
    try {
      const since = options.sinceSeconds !== undefined ? { since: Math.floor(options.sinceSeconds) } : {};
      return (await this.docker.getContainer(id).logs({ follow: true, stdout: true, stderr: true, ...since })) as unknown as Readable;
    } catch (error) {
      throw toEngineError(error);
    }
  }

  async attachOutput(id: string): Promise<Readable> {
    try {
      return (await this.docker.getContainer(id).attach({ stream: true, stdout: true, stderr: true })) as unknown as Readable;
    } catch (error) {
      throw toEngineError(error);
    }
  }
}

interface RawEvent {
  Action?: string;
  timeNano?: number | string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** Engine API event → podlike event; the container's labels travel in Actor.Attributes. */
export function toEngineEvent(raw: RawEvent): EngineEvent | undefined {
  const action = raw.Action ?? raw.status ?? "";
  const id = raw.Actor?.ID ?? raw.id ?? "";
  const labels = raw.Actor?.Attributes ?? {};
  // timeNano exceeds 2^53: JSON.parse rounds it, by less than a microsecond, which replaying with `since` tolerates
  const time = raw.timeNano !== undefined ? BigInt(Math.trunc(Number(raw.timeNano))).toString() : undefined;
  const at = time ? { time } : {};
  if (action === "start") return { kind: "start", id, labels, ...at };
  if (action === "die") return { kind: "die", id, labels, exitCode: Number(labels.exitCode ?? 0), ...at };
  if (action.startsWith("health_status")) {
    const health = action.slice(action.indexOf(":") + 1).trim();
    if (isHealth(health)) return { kind: "health", id, labels, health, ...at };
  }
  return undefined;
}
