/** A YAML mapping (a JSON object) as plain data: not null, not a sequence. */
export type Mapping = Record<string, unknown>;

export const isMapping = (v: unknown): v is Mapping => typeof v === "object" && v !== null && !Array.isArray(v);
