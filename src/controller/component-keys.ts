/**
 * What the controller does with each key of a component's Compose service
 * definition: the container column of the key table
 * (src/keys/service-keys.ts). "mapped" keys go into the Engine API create
 * call (container-spec.ts); "runtime" keys are honoured by podlike outside
 * that call (the converter or the controller's supervisor); "unsupported"
 * keys are ignored with a warning, for the reason given. The README's list of
 * unsupported keys is generated from this table.
 */
import { SERVICE_KEYS } from "../keys/service-keys.js";

export type ComponentKeyStatus = "mapped" | "runtime" | "unsupported";

export interface ComponentKeyRule {
  status: ComponentKeyStatus;
  reason?: string;
}

function rule(use: (typeof SERVICE_KEYS)[string]["container"]): ComponentKeyRule {
  if (use.kind === "mapped") return use.note ? { status: "mapped", reason: use.note } : { status: "mapped" };
  return { status: use.kind === "runtime" ? "runtime" : "unsupported", reason: use.reason };
}

export const COMPONENT_KEYS: Readonly<Record<string, ComponentKeyRule>> = Object.freeze(
  Object.assign(Object.create(null), Object.fromEntries(Object.entries(SERVICE_KEYS).map(([key, row]) => [key, rule(row.container)]))),
);
