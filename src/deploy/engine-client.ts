import type Docker from "dockerode";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { OperationError, UsageError } from "../diagnostics/errors.js";
import { loadDockerode } from "../docker/load-dockerode.js";

export interface EngineTarget {
  /** What the user is told the engine is ("unix:///var/run/docker.sock"). */
  address: string;
  options: Docker.DockerOptions;
}

/** DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH read the way the docker CLI reads them. */
export function engineTarget(env: Record<string, string | undefined>): EngineTarget {
  const host = env.DOCKER_HOST?.trim() || "unix:///var/run/docker.sock";
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
  const options: Docker.DockerOptions = { host: tcp[1], port, protocol: tls ? "https" : "http" };
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
    if (!verify) (options as Record<string, unknown>).checkServerIdentity = () => undefined;
  }
  return { address: `tcp://${tcp[1]}:${port}`, options };
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOENT", "EACCES", "EHOSTUNREACH", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EPIPE"]);

/** An engine error as a user-facing OperationError: what was being done and the engine's own words. */
export function engineError(error: unknown, doing: string, target?: EngineTarget): OperationError {
  const e = error as { code?: string; statusCode?: number; json?: { message?: string }; message?: string; reason?: string };
  if (e?.code && UNREACHABLE.has(e.code)) {
    const where = target?.address ?? "the Docker engine";
    const hint = e.code === "EACCES" ? "run as a user allowed to use the Docker socket (the docker group)" : "start the Docker engine, or point DOCKER_HOST at a running one";
    return new OperationError(`cannot reach the Docker engine at ${where} (${e.code}) while ${doing}`, hint);
  }
  const message = e?.json?.message ?? (typeof e?.json === "string" ? e.json : undefined) ?? e?.reason ?? e?.message ?? String(error);
  return new OperationError(`${doing}: ${String(message).trim()}`);
}

export interface Engine {
  docker: Docker;
  target: EngineTarget;
}

/**
 * Connects and checks that the target is a Swarm manager: deploy, rm and ps
 * all need one. GET /swarm answers only on managers and answers fast (GET
 * /info can take seconds on a busy engine).
 */
export async function connectManager(env: Record<string, string | undefined>): Promise<Engine> {
  const target = engineTarget(env);
  const DockerClient = loadDockerode();
  const docker = new DockerClient(target.options);
  try {
    await docker.swarmInspect();
  } catch (error) {
    const e = error as { statusCode?: number; json?: { message?: string }; message?: string };
    if (e?.statusCode !== 503) throw engineError(error, "asking the engine about its Swarm", target);
    const message = e.json?.message ?? e.message ?? "";
    if (/worker/i.test(message)) {
      throw new OperationError(
        `the Docker engine at ${target.address} is a Swarm worker, not a manager`,
        "point DOCKER_HOST at a manager node (docker node ls there lists the managers)",
      );
    }
    throw new OperationError(
      `the Docker engine at ${target.address} is not a Swarm manager (it is not part of a Swarm)`,
      "run `docker swarm init` on it, or point DOCKER_HOST at a Swarm manager",
    );
  }
  return { docker, target };
}
