/**
 * Strict readers of the scalar values of a component's service definition.
 * Interpolated Compose values may arrive as strings ("true", "512m", "0.5"),
 * so each reader accepts the string spellings too. A value that cannot be
 * read throws ComponentSpecError naming the component and the key, before
 * anything is created.
 */
import { OperationError } from "../diagnostics/errors.js";
import { parseByteSize, parseDuration, toBoolean, toInteger } from "../compose/normalize.js";
import { isMapping } from "../yaml/mapping.js";

export class ComponentSpecError extends OperationError {
  readonly component: string;
  readonly key: string;
  constructor(component: string, key: string, problem: string, hint?: string) {
    super(`component "${component}": ${key} ${problem}`, hint);
    this.name = "ComponentSpecError";
    this.component = component;
    this.key = key;
  }
}

/** The component and key a value belongs to, for error messages. */
export interface ValueSite {
  component: string;
  key: string;
}

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

export { isMapping };

export function readBoolean(site: ValueSite, value: unknown): boolean {
  const read = toBoolean(value);
  if (read !== undefined) return read;
  throw new ComponentSpecError(site.component, site.key, `must be true or false, not ${show(value)}`);
}

export function readInteger(site: ValueSite, value: unknown, hint?: string): number {
  const read = toInteger(value, { signed: true });
  if (read !== undefined) return read;
  throw new ComponentSpecError(site.component, site.key, `must be a whole number, not ${show(value)}`, hint);
}

export function readNumber(site: ValueSite, value: unknown, hint?: string): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  throw new ComponentSpecError(site.component, site.key, `must be a number, not ${show(value)}`, hint);
}

export function readString(site: ValueSite, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new ComponentSpecError(site.component, site.key, `must be a string, not ${show(value)}`);
}

/** Bytes; -1 (unlimited) is accepted where Docker accepts it. */
export function readSize(site: ValueSite, value: unknown, allowUnlimited = false): number {
  if (allowUnlimited && (value === -1 || value === "-1")) return -1;
  const bytes = parseByteSize(value);
  if (bytes !== undefined) return bytes;
  throw new ComponentSpecError(site.component, site.key, `must be a size such as 512m or 1g, not ${show(value)}`, "sizes are bytes, or a number with b, k, m or g");
}

/** Milliseconds, from a Go duration ("1m30s") or a number of seconds. */
export function readDuration(site: ValueSite, value: unknown): number {
  const ms = parseDuration(value);
  if (ms !== undefined && ms >= 0) return ms;
  throw new ComponentSpecError(site.component, site.key, `must be a duration such as 30s or 1m30s, not ${show(value)}`);
}

/** A list of strings (numbers print); a single string where allowed becomes a one-item list. */
export function readStringList(site: ValueSite, value: unknown, single = false): string[] {
  if (single && (typeof value === "string" || typeof value === "number")) return [String(value)];
  if (Array.isArray(value)) return value.map((item) => readString(site, item));
  throw new ComponentSpecError(site.component, site.key, `must be a list of strings, not ${show(value)}`);
}

export function readMapping(site: ValueSite, value: unknown): Record<string, unknown> {
  if (isMapping(value)) return value;
  throw new ComponentSpecError(site.component, site.key, `must be a mapping, not ${show(value)}`);
}
