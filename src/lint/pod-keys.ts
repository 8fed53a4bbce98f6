/**
 * Service keys that mean nothing for a member of a pod, and why: the rows of
 * the key table (src/keys/service-keys.ts) whose podMember column drops them.
 * Lint warns about each (UNSUPPORTED_KEY) and convert drops exactly these.
 */
import { SERVICE_KEYS } from "../keys/service-keys.js";

export const POD_UNSUPPORTED_KEYS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    Object.entries(SERVICE_KEYS).flatMap(([key, row]) => (row.podMember.kind === "dropped" ? [[key, row.podMember.reason]] : [])),
  ),
);

/** True when `key` is dropped from a pod member. */
export function isPodUnsupportedKey(key: string): boolean {
  return Object.prototype.hasOwnProperty.call(POD_UNSUPPORTED_KEYS, key);
}
