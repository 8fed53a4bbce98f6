/**
 * How a shared mapper reports a Compose value it cannot map: `key` is the
 * dotted key under the service ("healthcheck.interval"). The controller
 * throws (nothing is created from a bad definition); deploy records a finding
 * at the key and goes on. The mapper leaves the field out either way.
 */
export type ValueProblem = (key: string, problem: string, hint?: string) => void;

/** Engine API versions compare as numbers per part: 1.9 < 1.41 < 1.44. */
export function apiAtLeast(version: string | undefined, wanted: string): boolean {
  if (version === undefined) return false;
  const [a = 0, b = 0] = version.split(".").map(Number);
  const [c = 0, d = 0] = wanted.split(".").map(Number);
  return a > c || (a === c && b >= d);
}
