import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { runCli, stackConfig, stackConfigUnavailable } from "./support.js";

/** The README's first command: the bundled example converts without a finding, into a stack the Docker CLI reads. */
const EXAMPLE_DIR = fileURLToPath(new URL("../../fixtures/examples/sidecar/", import.meta.url));

describe("the bundled example", () => {
  it("converts without errors or warnings", async () => {
    const run = await runCli(["convert", "compose.yml"], EXAMPLE_DIR);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, "");
    assert.match(run.stdout, /^  my-app:$/m);
  });

  it("is accepted by docker stack config", { skip: stackConfigUnavailable() }, async () => {
    const run = await runCli(["convert", "compose.yml"], EXAMPLE_DIR);
    const result = stackConfig(run.stdout);
    assert.ok(result.ok, result.output);
  });
});
