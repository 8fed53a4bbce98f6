/**
 * The stack as YAML, byte for byte the same for the same stack: keys sorted
 * (the top level in the order people read a stack file), strings quoted
 * wherever YAML 1.1 would read them as something else (`on`, `yes`, `0755`,
 * `1:20`), so docker stack config and deploy read exactly our values, and
 * every `$` written as `$$`, since docker stack deploy interpolates again.
 */
import { isMapping } from "./context.js";
import type { SwarmStack } from "./types.js";
import { writeYamlMapping } from "../yaml/write-yaml.js";
import { setOwn } from "../compose/own-keys.js";

const TOP_LEVEL_ORDER = ["version", "services", "networks", "volumes", "configs", "secrets"];

function prepare(value: unknown): unknown {
  if (typeof value === "string") return value.includes("$") ? value.replaceAll("$", "$$$$") : value;
  if (Array.isArray(value)) return value.map(prepare);
  if (isMapping(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (value[key] !== undefined) setOwn(out, key, prepare(value[key]));
    }
    return out;
  }
  return value;
}

export function writeStack(stack: SwarmStack): string {
  const ordered: Record<string, unknown> = {};
  const record = stack as unknown as Record<string, unknown>;
  const keys = [...TOP_LEVEL_ORDER.filter((k) => k in record), ...Object.keys(record).filter((k) => !TOP_LEVEL_ORDER.includes(k)).sort()];
  for (const key of keys) {
    if (record[key] === undefined) continue;
    ordered[key] = key === "version" ? record[key] : prepare(record[key]);
  }
  return writeYamlMapping(ordered);
}
