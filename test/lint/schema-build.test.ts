import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
// @ts-expect-error: a plain .mjs build script without type declarations
import { generateValidator, SCHEMA_FILE, VALIDATOR_FILE } from "../../scripts/build-schema.mjs";

describe("precompiled Compose validator", () => {
  it("is generated from the current schema (npm run build:schema)", () => {
    const expected = generateValidator(readFileSync(SCHEMA_FILE, "utf8")) as string;
    const actual = readFileSync(VALIDATOR_FILE, "utf8");
    assert.ok(actual === expected, "schemas/compose.validate.cjs is stale: run npm run build:schema and commit the result");
  });
});
