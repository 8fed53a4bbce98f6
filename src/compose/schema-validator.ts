import { createRequire } from "node:module";
import { packageFile } from "../package-root.js";

/** One ajv error, as the generated validator reports it (verbose: parentSchema is set). */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  parentSchema?: { properties?: Record<string, unknown>; patternProperties?: Record<string, unknown> };
}

export type SchemaValidator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

/**
 * The Compose schema compiled ahead of time (scripts/build-schema.mjs):
 * compiling it here would cost more than the whole rest of a lint run. The
 * lint bundle carries the validator inside it instead (scripts/bundle.mjs).
 */
export function loadSchemaValidator(): SchemaValidator {
  return createRequire(import.meta.url)(packageFile("schemas/compose.validate.cjs")) as SchemaValidator;
}
