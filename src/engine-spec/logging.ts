/**
 * A Compose `logging` mapping → the log driver and its options (as strings),
 * shared by deploy (TaskTemplate.LogDriver {Name, Options}) and the
 * controller (HostConfig.LogConfig {Type, Config}).
 */
import type { ValueProblem } from "./problem.js";
import { isMapping } from "../yaml/mapping.js";

export interface LogDriver {
  /** "" leaves the engine's default driver, with the options given. */
  driver: string;
  options?: Record<string, string>;
}

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined);

export function mapLogging(value: unknown, problem: ValueProblem): LogDriver | undefined {
  if (!isMapping(value)) {
    problem("logging", `must be a mapping, not ${JSON.stringify(value)}`);
    return undefined;
  }
  const out: LogDriver = { driver: "" };
  if (value.driver !== undefined && value.driver !== null) {
    const driver = text(value.driver);
    if (driver === undefined) problem("logging.driver", `must be a string, not ${JSON.stringify(value.driver)}`);
    else out.driver = driver;
  }
  if (value.options !== undefined && value.options !== null) {
    if (!isMapping(value.options)) problem("logging.options", `must be a mapping, not ${JSON.stringify(value.options)}`);
    else {
      const options: Record<string, string> = {};
      for (const key of Object.keys(value.options).sort()) {
        const option = value.options[key];
        if (option === undefined || option === null) continue;
        const read = text(option);
        if (read === undefined) problem(`logging.options.${key}`, `must be a string, not ${JSON.stringify(option)}`);
        else Object.defineProperty(options, key, { value: read, enumerable: true, writable: true, configurable: true });
      }
      if (Object.keys(options).length) out.options = options;
    }
  }
  return out;
}
