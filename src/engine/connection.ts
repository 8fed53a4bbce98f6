/**
 * Where the Docker engine is and how to reach it, read from DOCKER_HOST,
 * DOCKER_TLS_VERIFY and DOCKER_CERT_PATH the way the docker CLI reads them.
 * Every command and the controller connect through engineTarget.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { OperationError, UsageError } from "../diagnostics/errors.js";

/** How to open a connection: a unix socket, or host and port over http or https. */
export interface ConnectionOptions {
  socketPath?: string;
  host?: string;
  port?: number;
  protocol?: "http" | "https";
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Set (to accept any certificate) when TLS is on without DOCKER_TLS_VERIFY. */
  checkServerIdentity?: () => undefined;
}

export interface EngineTarget {
  /** What the user is told the engine is ("unix:///var/run/docker.sock"). */
  address: string;
  options: ConnectionOptions;
}

export const DEFAULT_SOCKET = "/var/run/docker.sock";

export function engineTarget(env: Record<string, string | undefined>): EngineTarget {
  const host = env.DOCKER_HOST?.trim() || `unix://${DEFAULT_SOCKET}`;
  if (host.startsWith("unix://")) {
    return { address: host, options: { socketPath: host.slice("unix://".length) } };
  }
  if (host.startsWith("/")) return { address: `unix://${host}`, options: { socketPath: host } };
  const tcp = /^(?:tcp|https?):\/\/\[?([^\]/]*?)\]?(?::(\d+))?\/?$/.exec(host);
  if (!tcp) {
    throw new UsageError(`DOCKER_HOST=${host} is not supported: use unix:///path/to/docker.sock or tcp://host:port`);
  }
  const verify = !!env.DOCKER_TLS_VERIFY;
  const tls = verify || !!env.DOCKER_TLS || host.startsWith("https://");
  const port = tcp[2] ? Number(tcp[2]) : tls ? 2376 : 2375;
  const options: ConnectionOptions = { host: tcp[1], port, protocol: tls ? "https" : "http" };
  if (tls) {
    const certPath = env.DOCKER_CERT_PATH || join(homedir(), ".docker");
    const read = (file: string): Buffer | undefined => {
      try {
        return readFileSync(join(certPath, file));
      } catch {
        return undefined;
      }
    };
    const ca = read("ca.pem");
    const cert = read("cert.pem");
    const key = read("key.pem");
    if (verify && !ca) {
      throw new OperationError(`DOCKER_TLS_VERIFY is set but ${join(certPath, "ca.pem")} cannot be read`, "set DOCKER_CERT_PATH to the folder holding ca.pem, cert.pem and key.pem");
    }
    if (ca) options.ca = ca;
    if (cert) options.cert = cert;
    if (key) options.key = key;
    // Without DOCKER_TLS_VERIFY the docker CLI encrypts but does not check the server's certificate.
    if (!verify) options.checkServerIdentity = () => undefined;
  }
  return { address: `tcp://${tcp[1]}:${port}`, options };
}
