/**
 * A Compose `healthcheck` → the Engine API's HealthConfig (durations in
 * nanoseconds), shared by deploy (ContainerSpec.Healthcheck) and the
 * controller (Config.Healthcheck).
 */
import { parseDuration, toBoolean, toInteger } from "../compose/normalize.js";
import { apiAtLeast, type ValueProblem } from "./problem.js";
import { isMapping } from "../yaml/mapping.js";

export interface MappedHealthcheck {
  /** Undefined when nothing is set (or nothing could be read). */
  spec?: Record<string, unknown>;
  /** Keys left out because the engine's API version lacks them, each with the version it needs. */
  unsupported: { key: string; since: string }[];
}

/** start_interval: Engine API 1.44 (Docker 25); an older engine drops the field. */
export const START_INTERVAL_API = "1.44";

const DURATIONS = { interval: "Interval", timeout: "Timeout", start_period: "StartPeriod", start_interval: "StartInterval" } as const;
const TEST_FORMS = ["NONE", "CMD", "CMD-SHELL"];

/**
 * `apiVersion`: the engine's API version; fields newer than it are left out
 * and listed in `unsupported`. Unknown (undefined) leaves out nothing.
 */
export function mapHealthcheck(value: unknown, problem: ValueProblem, apiVersion?: string): MappedHealthcheck {
  const out: MappedHealthcheck = { unsupported: [] };
  if (!isMapping(value)) {
    problem("healthcheck", `must be a mapping, not ${JSON.stringify(value)}`);
    return out;
  }
  if (value.disable !== undefined && value.disable !== null) {
    const disable = toBoolean(value.disable);
    if (disable === undefined) problem("healthcheck.disable", `must be true or false, not ${JSON.stringify(value.disable)}`);
    else if (disable) return { spec: { Test: ["NONE"] }, unsupported: [] };
  }
  const spec: Record<string, unknown> = {};
  if (typeof value.test === "string") spec.Test = ["CMD-SHELL", value.test];
  else if (Array.isArray(value.test)) {
    const test = value.test.map((word) => (typeof word === "string" || typeof word === "number" || typeof word === "boolean" ? String(word) : undefined));
    if (test.some((word) => word === undefined)) problem("healthcheck.test", "must be a string or a list of strings");
    else if (!TEST_FORMS.includes(test[0]!)) {
      problem("healthcheck.test", `must start with NONE, CMD or CMD-SHELL, not ${JSON.stringify(test[0])}`, 'write ["CMD", "program", "arg"], ["CMD-SHELL", "command line"] or a plain string');
    } else spec.Test = test;
  } else if (value.test !== undefined && value.test !== null) problem("healthcheck.test", "must be a string or a list of strings");

  for (const [key, field] of Object.entries(DURATIONS)) {
    const raw = value[key];
    if (raw === undefined || raw === null) continue;
    const ms = parseDuration(raw);
    if (ms === undefined || ms < 0) {
      problem(`healthcheck.${key}`, `must be a duration such as 30s or 1m30s, not ${JSON.stringify(raw)}`);
      continue;
    }
    if (key === "start_interval" && apiVersion !== undefined && !apiAtLeast(apiVersion, START_INTERVAL_API)) {
      out.unsupported.push({ key: "healthcheck.start_interval", since: START_INTERVAL_API });
      continue;
    }
    spec[field] = Math.round(ms * 1_000_000);
  }
  if (value.retries !== undefined && value.retries !== null) {
    const retries = toInteger(value.retries, { signed: true });
    if (retries === undefined) problem("healthcheck.retries", `must be a whole number, not ${JSON.stringify(value.retries)}`);
    else spec.Retries = retries;
  }
  if (Object.keys(spec).length) out.spec = spec;
  return out;
}
