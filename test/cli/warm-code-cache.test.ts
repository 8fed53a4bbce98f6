import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readYamlDirect } from "../../src/compose/parse-yaml-direct.js";
import { readYamlEvents } from "../../src/compose/parse-yaml-events.js";

/**
 * The build's code caches hold the functions the warm-up ran
 * (scripts/warm-code-cache.cjs); a lint that runs others compiles them on
 * the spot. Compose files are read by two readers, so the warm-up's samples
 * must reach both, whatever the direct reader learns to read.
 */
const { SAMPLE, SAMPLE_WITH_WARNING } = createRequire(import.meta.url)("../../scripts/warm-code-cache.cjs") as { SAMPLE: string; SAMPLE_WITH_WARNING: string };

describe("the code-cache warm-up's samples", () => {
  it("reach the direct YAML reader and the event reader both", () => {
    assert.notEqual(readYamlDirect(SAMPLE, "sample.yml"), undefined, "the direct reader reads the sample");
    assert.equal(readYamlDirect(SAMPLE_WITH_WARNING, "warning.yml"), undefined, "the direct reader hands the warning sample to the event reader");
    assert.notEqual(readYamlEvents(SAMPLE_WITH_WARNING, "warning.yml"), undefined, "the event reader reads it, leaving nothing to the full reader");
  });
});
