/**
 * A Compose `ulimits` mapping → the Engine API's list of {Name, Soft, Hard},
 * sorted by name, shared by deploy (ContainerSpec.Ulimits) and the controller
 * (HostConfig.Ulimits). `nofile: 1024` sets both limits.
 */
import { toInteger } from "../compose/normalize.js";
import type { ValueProblem } from "./problem.js";
import { isMapping } from "../yaml/mapping.js";

export function mapUlimits(value: unknown, problem: ValueProblem): { Name: string; Soft: number; Hard: number }[] {
  if (!isMapping(value)) {
    problem("ulimits", `must be a mapping of limit names, not ${JSON.stringify(value)}`);
    return [];
  }
  const out: { Name: string; Soft: number; Hard: number }[] = [];
  for (const name of Object.keys(value).sort()) {
    const limit = value[name];
    const read = (v: unknown, key: string): number | undefined => {
      const n = toInteger(v, { signed: true });
      if (n === undefined) problem(key, `must be a whole number, not ${JSON.stringify(v)}`);
      return n;
    };
    if (isMapping(limit)) {
      const soft = read(limit.soft, `ulimits.${name}.soft`);
      const hard = read(limit.hard, `ulimits.${name}.hard`);
      if (soft !== undefined && hard !== undefined) out.push({ Name: name, Soft: soft, Hard: hard });
    } else {
      const both = read(limit, `ulimits.${name}`);
      if (both !== undefined) out.push({ Name: name, Soft: both, Hard: both });
    }
  }
  return out;
}
