/**
 * Engine failures, two kinds: EngineError is the engine's own reply (a status
 * code and its message), which callers may tell apart (404, 409, ...);
 * engineFailure turns any failure, replies and unreachable engines alike,
 * into the OperationError a user reads.
 */
import { OperationError } from "../diagnostics/errors.js";

export class EngineError extends Error {
  readonly statusCode: number;
  constructor(message: string, statusCode: number) {
    super(message);
    this.name = "EngineError";
    this.statusCode = statusCode;
  }
}

/** The shapes engine failures arrive in: ours, dockerode's (statusCode, json) and Node's socket errors (code). */
interface RawFailure {
  code?: string;
  statusCode?: number;
  json?: unknown;
  reason?: string;
  message?: string;
}

/** No reply came at all: the engine's socket is gone, refuses, or the connection broke. */
export class EngineUnreachable extends EngineError {
  /** The socket error's code (ECONNREFUSED, ENOENT, ...), when one caused it. */
  readonly code?: string;
  constructor(message: string, code?: string) {
    super(message, 0);
    this.name = "EngineUnreachable";
    if (code) this.code = code;
  }
}

export const isUnreachable = (error: unknown): error is EngineUnreachable => error instanceof EngineUnreachable;

/** Socket errors that mean no engine answered. */
const NO_ANSWER = new Set(["ENOENT", "ECONNREFUSED", "ECONNRESET", "EPIPE", "ECONNABORTED", "EHOSTUNREACH", "ENOTFOUND", "ETIMEDOUT"]);

const asRaw = (error: unknown): RawFailure => (typeof error === "object" && error !== null ? (error as RawFailure) : {});

/** The engine's own words for a failure. */
export function engineMessage(error: unknown): string {
  const e = asRaw(error);
  const json = e.json;
  const fromJson = typeof json === "string" ? json : typeof json === "object" && json !== null ? (json as { message?: unknown }).message : undefined;
  const message = (typeof fromJson === "string" ? fromJson : undefined) ?? e.message ?? e.reason ?? String(error);
  return String(message).trim();
}

/** The HTTP status of an engine reply; undefined for anything else. */
export function statusOf(error: unknown): number | undefined {
  const status = asRaw(error).statusCode;
  return typeof status === "number" && status > 0 ? status : undefined;
}

export const isNotFound = (error: unknown): boolean => statusOf(error) === 404;

/** A create refused because its image is not on the node (the engine's 404 "No such image"). */
export const isMissingImage = (error: unknown): boolean => isNotFound(error) && /no such image/i.test(engineMessage(error));

/** Any failure of a request as an EngineError: a reply keeps its status, no reply is EngineUnreachable, anything else gets 0. */
export function toEngineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  const { code } = asRaw(error);
  if (statusOf(error) === undefined && code && NO_ANSWER.has(code)) return new EngineUnreachable(engineMessage(error), code);
  return new EngineError(engineMessage(error), statusOf(error) ?? 0);
}

/** Why the engine cannot be used at all: no answer, or no permission to ask. */
const UNREACHABLE = new Set([...NO_ANSWER, "EACCES"]);

/** A failure as a user-facing OperationError: what was being done and the engine's own words. */
export function engineFailure(error: unknown, doing: string, address?: string | { address: string }): OperationError {
  if (error instanceof OperationError) return error;
  const code = asRaw(error).code;
  if (code && UNREACHABLE.has(code)) {
    const where = (typeof address === "string" ? address : address?.address) ?? "the Docker engine";
    const hint = code === "EACCES" ? "run as a user allowed to use the Docker socket (the docker group)" : "start the Docker engine, or point DOCKER_HOST at a running one";
    return new OperationError(`cannot reach the Docker engine at ${where} (${code}) while ${doing}`, hint);
  }
  return new OperationError(`${doing}: ${engineMessage(error)}`);
}
