/**
 * The pure half of `podlike logs`: reading the lines Swarm's service logs
 * endpoint returns for a controller (a timestamp, then what the controller
 * wrote; with --logs a component's line reads `name | text`), choosing the
 * ones asked for, and turning --since into what the endpoint takes.
 */
import type { Readable } from "node:stream";
import { UsageError } from "../diagnostics/errors.js";
import { FrameDemuxer, LineAssembler } from "../controller/logs.js";

export interface ComponentLine {
  /** Nanoseconds since the epoch, for ordering and de-duplication. */
  at: bigint;
  /** The engine's RFC 3339 timestamp, as printed by --timestamps. */
  time: string;
  pod: string;
  component: string;
  text: string;
  stream: "stdout" | "stderr";
}

const TIMESTAMPED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) (.*)$/s;
const COMPONENT_LINE = /^([a-zA-Z0-9][a-zA-Z0-9_.-]*) \| (.*)$/s;

/** RFC 3339 time (nanosecond precision kept) → nanoseconds since the epoch. */
export function nanosOf(seconds: string, fraction: string | undefined, zone: string): bigint {
  const ms = Date.parse(seconds + zone);
  return BigInt(ms) * 1_000_000n + BigInt((fraction ?? "").padEnd(9, "0"));
}

/**
 * One line of a controller's service logs (requested with timestamps). The
 * controller's own messages carry no `name | ` prefix and give undefined, as
 * do lines of another component when `component` is given.
 */
export function readLogLine(raw: string, pod: string, stream: "stdout" | "stderr", component?: string): { at?: bigint; line?: ComponentLine } {
  const m = TIMESTAMPED.exec(raw);
  if (!m) return {};
  const at = nanosOf(m[1]!, m[2], m[3]!);
  const c = COMPONENT_LINE.exec(m[4]!);
  if (!c || (component !== undefined && c[1] !== component)) return { at };
  return { at, line: { at, time: `${m[1]}${m[2] ? "." + m[2] : ""}${m[3]}`, pod, component: c[1]!, text: c[2]!, stream } };
}

/** How a line is printed: `name | text`, with the pod in front when the stack's every pod is shown. */
export function formatLine(line: ComponentLine, options: { timestamps: boolean; showPod: boolean }): string {
  const name = options.showPod ? `${line.pod}/${line.component}` : line.component;
  return `${options.timestamps ? line.time + " " : ""}${name} | ${line.text}\n`;
}

/** The last `tail` lines in time order (all without a tail). */
export function lastLines(lines: ComponentLine[], tail: number | undefined): ComponentLine[] {
  const sorted = [...lines].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return tail === undefined ? sorted : tail === 0 ? [] : sorted.slice(-tail);
}

const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, "µs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/**
 * --since as docker service logs reads it: a duration relative to now (42m,
 * 1h30m), an RFC 3339 date or time, or Unix seconds; the result is the
 * `since` query value (Unix seconds, with a fraction).
 */
export function sinceValue(text: string, now: number = Date.now()): string {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return trimmed;
  const duration = /^(?:\d+(?:\.\d+)?(?:ns|us|\u00b5s|ms|s|m|h))+$/.test(trimmed)
    ? [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ns|us|\u00b5s|ms|s|m|h)/g)].reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit!]!, 0)
    : undefined;
  if (duration !== undefined) return ((now / 1000) - duration).toFixed(3);
  const date = Date.parse(/^\d{4}-\d\d-\d\d$/.test(trimmed) ? trimmed + "T00:00:00Z" : trimmed);
  if (!Number.isNaN(date) && /^\d{4}-\d\d-\d\d/.test(trimmed)) return (date / 1000).toFixed(3);
  throw new UsageError(`--since ${JSON.stringify(text)} is not a time: give a duration (10m, 1h30m), an RFC 3339 time (2024-05-01T10:00:00Z) or Unix seconds`);
}

/** Reads a service logs reply (multiplexed frames: the controller has no TTY) line by line. */
export function readReplyLines(body: Readable | Buffer | string, onLine: (text: string, stream: "stdout" | "stderr") => void): Promise<void> {
  const demuxer = new FrameDemuxer();
  const lines = { stdout: new LineAssembler(), stderr: new LineAssembler() };
  const push = (chunk: Buffer) => {
    for (const frame of demuxer.push(chunk)) {
      const which = frame.stream === 2 ? "stderr" : "stdout";
      for (const line of lines[which].push(frame.payload)) onLine(line, which);
    }
  };
  const finish = () => {
    for (const which of ["stdout", "stderr"] as const) {
      const rest = lines[which].flush();
      if (rest !== undefined) onLine(rest, which);
    }
  };
  if (typeof body === "string" || Buffer.isBuffer(body)) {
    push(Buffer.isBuffer(body) ? body : Buffer.from(body, "binary"));
    finish();
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    body.on("data", push);
    body.on("end", () => (finish(), resolve()));
    body.on("close", () => (finish(), resolve()));
    body.on("error", reject);
  });
}
