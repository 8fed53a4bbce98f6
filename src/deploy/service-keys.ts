/**
 * Every Compose service key and what deploy does with it: mapped onto the
 * Swarm ServiceSpec, or ignored with the reason the user is told.
 */
import { SERVICE_KEYS as KEY_TABLE } from "../keys/service-keys.js";

export type KeyTreatment = { kind: "mapped" } | { kind: "ignored"; reason: string };

const mapped: KeyTreatment = { kind: "mapped" };
const ignored = (reason: string): KeyTreatment => ({ kind: "ignored", reason });

/** The serviceSpec column of the key table (src/keys/service-keys.ts). */
export const SERVICE_KEYS: Readonly<Record<string, KeyTreatment>> = Object.freeze(
  Object.assign(
    Object.create(null),
    Object.fromEntries(Object.entries(KEY_TABLE).map(([key, row]) => [key, row.serviceSpec.kind === "mapped" ? mapped : ignored(row.serviceSpec.reason)])),
  ),
);

/** Keys under `deploy:`. */
export const DEPLOY_KEYS: Readonly<Record<string, KeyTreatment>> = {
  endpoint_mode: mapped,
  labels: mapped,
  mode: mapped,
  placement: mapped,
  replicas: mapped,
  resources: mapped,
  restart_policy: mapped,
  rollback_config: mapped,
  update_config: mapped,
};

export function treatmentOf(key: string): KeyTreatment {
  if (key.startsWith("x-")) return ignored("extension field");
  return SERVICE_KEYS[key] ?? ignored("not a Compose service key");
}
