/**
 * The controller's Engine over node:http (see http.ts). It replaced dockerode,
 * whose loading alone held about 7 MB of the controller's idle memory and
 * whose package tree was part of the controller image.
 */
import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import type { ConnectionOptions } from "./connection.js";
import {
  type CgroupSetup,
  EngineUnreachable,
  type ContainerInfo,
  type ContainerSummary,
  type CreateBody,
  type Engine,
  type EngineEvent,
  type EventSubscription,
  type RegistryAuth,
  type SubscribeOptions,
  type VolumeSpec,
} from "./container-engine.js";
import { apiTimestamp, isHealth, toEngineEvent, type RawEvent } from "./container-events.js";
import { EngineError, statusOf, toEngineError } from "./errors.js";
import { EngineHttp, readJson, type Query, type RequestOptions } from "./http.js";

/** The parts of GET /containers/{id}/json read here. */
interface RawInspect {
  Id: string;
  Name: string;
  Image: string;
  Config: { Labels?: Record<string, string> | null; Tty?: boolean };
  State: { Running: boolean; Status: string; ExitCode: number; Health?: { Status?: string } };
  HostConfig: Record<string, unknown>;
  Mounts?: { Type?: string; Name?: string; Source: string; Destination: string; RW: boolean }[];
}

interface RawSummary {
  Id: string;
  Names?: string[];
  Labels?: Record<string, string> | null;
  State: string;
}

/** An Engine API label filter: `key` matches any value, `key=value` that value. */
const labelFilter = (labels: Record<string, string | true>): Query => ({
  filters: JSON.stringify({ label: Object.entries(labels).map(([k, v]) => (v === true ? k : `${k}=${v}`)) }),
});

const container = (id: string) => `/containers/${encodeURIComponent(id)}`;

/** `work`, its failure as an EngineError (EngineUnreachable when no reply came). */
async function asEngineErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw toEngineError(error);
  }
}

/** fromImage and tag of POST /images/create: without a tag the engine would pull every tag of the repository. */
export function pullParameters(ref: string): { fromImage: string; tag: string } {
  const at = ref.indexOf("@");
  if (at >= 0) return { fromImage: ref.slice(0, at), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(":");
  if (colon > ref.lastIndexOf("/")) return { fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { fromImage: ref, tag: "latest" };
}

/** X-Registry-Auth: the credentials' JSON in URL-safe base64, as the engine decodes it. */
export const registryAuthHeader = (auth: RegistryAuth): string => Buffer.from(JSON.stringify(auth)).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");

export class HttpEngine implements Engine {
  private readonly http: EngineHttp;
  /** Waits for a next exit whose request the engine has not yet confirmed, by container: a start waits for them. */
  private readonly waitsRegistering = new Map<string, Promise<unknown>>();

  constructor(options: ConnectionOptions) {
    this.http = new EngineHttp(options);
  }

  /** A request whose failure comes out as an EngineError (EngineUnreachable when no reply came). */
  private call<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    return asEngineErrors(this.http.json<T>(method, path, options));
  }

  private open(method: string, path: string, options: RequestOptions): Promise<IncomingMessage> {
    return asEngineErrors(this.http.stream(method, path, { ...options, dedicated: true }));
  }

  /** The same request with the given statuses counted as done. */
  private async tolerating(statuses: number[], work: Promise<unknown>): Promise<void> {
    try {
      await work;
    } catch (error) {
      if (!statuses.includes(statusOf(error) ?? -1)) throw error;
    }
  }

  apiVersion(): Promise<string> {
    return asEngineErrors(this.http.apiVersion());
  }

  async cgroupSetup(): Promise<CgroupSetup> {
    const info = await this.call<{ CgroupDriver?: string; CgroupVersion?: string }>("GET", "/info");
    return { driver: String(info.CgroupDriver ?? ""), version: String(info.CgroupVersion ?? "1") };
  }

  async inspectContainer(idOrName: string): Promise<ContainerInfo | undefined> {
    let raw: RawInspect;
    try {
      raw = await this.call<RawInspect>("GET", `${container(idOrName)}/json`);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
    const health = raw.State.Health?.Status;
    const host = raw.HostConfig ?? {};
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
      mounts: (raw.Mounts ?? []).map((m) => ({ type: m.Type ?? "", name: m.Name || undefined, source: m.Source, destination: m.Destination, readOnly: !m.RW })),
      tty: Boolean(raw.Config.Tty),
    };
  }

  async listContainers(labels: Record<string, string | true>): Promise<ContainerSummary[]> {
    const list = await this.call<RawSummary[]>("GET", "/containers/json", { query: { all: true, ...labelFilter(labels) } });
    return list.map((c) => ({ id: c.Id, name: (c.Names?.[0] ?? "").replace(/^\//, ""), labels: c.Labels ?? {}, state: c.State }));
  }

  async createContainer(name: string, body: CreateBody): Promise<string> {
    return (await this.call<{ Id: string }>("POST", "/containers/create", { query: { name }, body })).Id;
  }

  async putArchive(id: string, path: string, tar: Buffer): Promise<void> {
    await this.call("PUT", `${container(id)}/archive`, { query: { path }, raw: { data: tar, contentType: "application/x-tar" } });
  }

  async startContainer(id: string): Promise<void> {
    await this.waitsRegistering.get(id);
    await this.tolerating([304], this.call("POST", `${container(id)}/start`));
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    // the reply comes when the container has stopped: a connection of its own, not one of the pool's
    const stopped = this.open("POST", `${container(id)}/stop`, { query: { t: Math.max(0, Math.ceil(timeoutSeconds)) } }).then((reply) => reply.resume());
    await this.tolerating([304, 404], stopped);
  }

  async removeContainer(id: string, options: { force?: boolean } = {}): Promise<void> {
    try {
      await this.call("DELETE", container(id), { query: { force: options.force ?? false, v: true } });
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) return;
      // "removal of container ... is already in progress"
      if (status === 409 && /already in progress/.test((error as Error).message)) return;
      throw error;
    }
  }

  async waitContainer(id: string, options: { nextExit?: boolean } = {}): Promise<number> {
    const reply = this.open("POST", `${container(id)}/wait`, { query: options.nextExit ? { condition: "next-exit" } : {} });
    if (options.nextExit) {
      // the engine answers the headers once the wait is in place: a start sent before then could exit unseen
      const registered = reply.catch(() => undefined);
      this.waitsRegistering.set(id, registered);
      void registered.then(() => {
        if (this.waitsRegistering.get(id) === registered) this.waitsRegistering.delete(id);
      });
    }
    return (await asEngineErrors(reply.then((r) => readJson<{ StatusCode?: number }>(r)))).StatusCode ?? 0;
  }

  async volumeLabels(name: string): Promise<Record<string, string> | undefined> {
    try {
      return (await this.call<{ Labels?: Record<string, string> | null }>("GET", `/volumes/${encodeURIComponent(name)}`)).Labels ?? {};
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async createVolume(name: string, spec: VolumeSpec): Promise<void> {
    await this.call("POST", "/volumes/create", { body: { Name: name, Driver: spec.driver, DriverOpts: spec.driverOpts, Labels: spec.labels } });
  }

  async removeVolume(name: string): Promise<void> {
    await this.tolerating([404], this.call("DELETE", `/volumes/${encodeURIComponent(name)}`));
  }

  async listVolumes(labels: Record<string, string | true>): Promise<{ name: string; labels: Record<string, string> }[]> {
    const raw = await this.call<{ Volumes?: { Name: string; Labels?: Record<string, string> | null }[] | null }>("GET", "/volumes", { query: labelFilter(labels) });
    return (raw.Volumes ?? []).map((v) => ({ name: v.Name, labels: v.Labels ?? {} }));
  }

  async imageExists(ref: string): Promise<boolean> {
    try {
      await this.call("GET", `/images/${ref}/json`);
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  async pullImage(ref: string, auth?: RegistryAuth): Promise<void> {
    const headers = auth ? { "X-Registry-Auth": registryAuthHeader(auth) } : undefined;
    const progress = await this.open("POST", "/images/create", { query: pullParameters(ref), ...(headers ? { headers } : {}) });
    // a failed pull still answers 200: the failure is a progress message carrying "error"
    let failure: string | undefined;
    await new Promise<void>((resolve, reject) => {
      eachLine(progress, (line) => {
        const message = JSON.parse(line) as { error?: string; errorDetail?: { message?: string } };
        if (message.error) failure ??= message.errorDetail?.message ?? message.error;
      });
      progress.on("end", resolve);
      progress.on("error", (error) => reject(toEngineError(error)));
      progress.on("close", () => reject(new EngineUnreachable("the connection to the engine closed during the pull")));
    });
    if (failure !== undefined) throw new EngineError(failure, 500);
  }

  async subscribeEvents(
    labels: Record<string, string>,
    onEvent: (event: EngineEvent) => void,
    onError?: (error: Error) => void,
    options: SubscribeOptions = {},
  ): Promise<EventSubscription> {
    const filters = { type: ["container"], event: ["start", "die", "health_status"], label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
    const query: Query = { filters: JSON.stringify(filters), since: options.since ? apiTimestamp(options.since) : undefined };
    const stream = await this.open("GET", "/events", { query });
    let closed = false;
    // a stream breaks with "error", ends with "end", or (socket torn down) only closes: report the first, once
    const lost = (error: Error) => {
      if (closed) return;
      closed = true;
      onError?.(error);
    };
    eachLine(stream, (line) => {
      const event = toEngineEvent(JSON.parse(line) as RawEvent);
      if (event) onEvent(event);
    });
    stream.on("error", (error: Error) => lost(toEngineError(error)));
    stream.on("end", () => lost(new EngineUnreachable("the engine closed the event stream")));
    stream.on("close", () => lost(new EngineUnreachable("the event stream's connection closed")));
    return {
      close() {
        closed = true;
        stream.destroy();
      },
    };
  }

  async followLogs(id: string, options: { sinceSeconds?: number } = {}): Promise<Readable> {
    const since = options.sinceSeconds !== undefined ? Math.floor(options.sinceSeconds) : undefined;
    return this.open("GET", `${container(id)}/logs`, { query: { follow: true, stdout: true, stderr: true, since } });
  }

  async attachOutput(id: string): Promise<Readable> {
    // the engine takes the connection over and ends the reply when the container exits
    return this.open("POST", `${container(id)}/attach`, { query: { stream: true, stdout: true, stderr: true } });
  }
}

/** Calls `onLine` with each non-empty line of a stream of JSON lines; a line that is not JSON is skipped. */
function eachLine(stream: IncomingMessage, onLine: (line: string) => void): void {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (!line) continue;
      try {
        onLine(line);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
      }
    }
  });
}
