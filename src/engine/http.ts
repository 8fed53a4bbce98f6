/**
 * A small client for the Engine API over node:http: JSON in, JSON out, a
 * kept-alive connection pool so parallel requests do not each pay a connect.
 * Deploy, rm, ps and the controller use it instead of dockerode, whose
 * loading alone costs more than a whole deploy's requests (see
 * bench/deploy.mjs) and 7 MB of the controller's memory.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { createRequire } from "node:module";
import type { ConnectionOptions } from "./connection.js";
import { EngineError } from "./errors.js";

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is (a tar archive), instead of `body`. */
  raw?: { data: Buffer; contentType: string };
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * A connection of its own, outside the pool: for replies that stay open
   * (events, followed logs, waits), which would otherwise hold pooled
   * sockets and queue every other request behind them.
   */
  dedicated?: boolean;
}

/** Enough sockets for the concurrency deploy uses. */
const MAX_SOCKETS = 16;

export class EngineHttp {
  private readonly agent: HttpAgent;
  /** No pool limit and no keep-alive: each open reply has its own connection, closed with it. */
  private readonly dedicatedAgent: HttpAgent;
  private readonly send: typeof httpRequest;
  /**
   * TLS names the server from the host; plain HTTP has no use for a name, and
   * leaving it unset makes the agent check whether the host is an IP address
   * with a regular expression whose first use costs 5 ms of a deploy's CPU.
   */
  private readonly servername: { servername?: string };

  constructor(private readonly connection: ConnectionOptions) {
    const tls = connection.protocol === "https";
    // TLS (with OpenSSL's set-up, a megabyte of memory) only for an engine reached over it
    const https = tls ? (createRequire(import.meta.url)("node:https") as typeof import("node:https")) : undefined;
    const tlsOptions = { ca: connection.ca, cert: connection.cert, key: connection.key, checkServerIdentity: connection.checkServerIdentity };
    const agent = (options: { keepAlive: boolean; maxSockets?: number }) => (https ? new https.Agent({ ...options, ...tlsOptions }) : new HttpAgent(options));
    // Idle kept-alive sockets do not hold the process open: the agent unrefs them.
    this.agent = agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
    this.dedicatedAgent = agent({ keepAlive: false });
    this.send = https ? https.request : httpRequest;
    this.servername = https ? {} : { servername: "" };
  }

  /** Parsed JSON of a 2xx reply (undefined when empty); an EngineError for any other status. */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return readJson<T>(await this.stream(method, path, options));
  }

  /** The reply of a 2xx request as a stream (logs); an EngineError for any other status. */
  stream(method: string, path: string, options: RequestOptions = {}): Promise<IncomingMessage> {
    const body = options.raw?.data ?? (options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body)));
    const contentType = options.raw?.contentType ?? "application/json";
    const { socketPath, host, port } = this.connection;
    return new Promise((resolve, reject) => {
      const req = this.send(
        {
          agent: options.dedicated ? this.dedicatedAgent : this.agent,
          method,
          path: path + queryString(options.query),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(socketPath ? { socketPath } : { host, port }),
          ...this.servername,
          headers: { ...options.headers, ...(body ? { "Content-Type": contentType, "Content-Length": body.length } : {}) },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(res);
          readAll(res).then((raw) => reject(new EngineError(replyMessage(raw, status), status)), reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  /**
   * The API version the engine speaks, from the Api-Version header of its
   * cheapest reply. GET /version says the same, but the engine runs runc and
   * docker-init to fill it in: 10 ms of its time, and that in a pod's start.
   */
  async apiVersion(): Promise<string> {
    const ping = await this.stream("GET", "/_ping");
    ping.resume();
    const header = ping.headers["api-version"];
    if (typeof header === "string" && header) return header;
    // an engine (or a proxy in front of it) that sends no header still answers /version
    return String((await this.json<{ ApiVersion?: string }>("GET", "/version")).ApiVersion);
  }

  close(): void {
    this.agent.destroy();
    this.dedicatedAgent.destroy();
  }

}

function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}

function replyMessage(raw: Buffer, status: number): string {
  const text = raw.toString("utf8").trim();
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    // not JSON: the text itself
  }
  return text || `HTTP ${status}`;
}

/** The parsed JSON of a whole reply (undefined when empty). */
export async function readJson<T>(reply: IncomingMessage): Promise<T> {
  const text = (await readAll(reply)).toString("utf8");
  return (text ? JSON.parse(text) : undefined) as T;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}
