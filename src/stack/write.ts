/**
 * The stack as YAML, byte for byte the same for the same stack: keys sorted
 * (the top level in the order people read a stack file), strings quoted
 * wherever YAML 1.1 would read them as something else (`on`, `yes`, `0755`,
 * `1:20`), so docker stack config and deploy read exactly our values, and
 * every `$` written as `$$`, since docker stack deploy interpolates again.
 */
import type { SwarmStack } from "./types.js";
import { writeYamlMapping } from "../yaml/write-yaml.js";

const TOP_LEVEL_ORDER = ["version", "services", "networks", "volumes", "configs", "secrets"];

export function writeStack(stack: SwarmStack): string {
  const record = stack as unknown as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of [...TOP_LEVEL_ORDER.filter((k) => k in record), ...Object.keys(record).filter((k) => !TOP_LEVEL_ORDER.includes(k)).sort()]) {
    if (key !== "version") ordered[key] = record[key];
  }
  // the version is written as it is; below it, keys are sorted and every "$" doubled while writing, with no copy of the stack
  const version = record.version === undefined ? "" : writeYamlMapping({ version: record.version });
  return version + writeYamlMapping(ordered, { sortKeys: true, doubleDollars: true });
}
