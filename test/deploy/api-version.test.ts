/**
 * deploy asks the engine for its API version and sends what that version
 * knows: StartInterval from 1.44 on; before that, a warning at the key's line.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadProject } from "../../src/compose/load.js";
import { deployStack } from "../../src/deploy/deploy-stack.js";
import { stackFromModel } from "../../src/deploy/stack-input.js";
import { folderWith } from "./support.js";
import { FakeSwarm } from "../support/fake-swarm.js";

const FILE = "services:\n  app:\n    image: busybox\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n      start_interval: 2s\n";

async function deployOn(apiVersion: string) {
  const dir = folderWith({ "compose.yaml": FILE });
  const loaded = await loadProject({ files: ["compose.yaml"], cwd: dir, env: {} });
  const input = await stackFromModel(loaded.value!);
  const swarm = new FakeSwarm();
  swarm.engineApiVersion = apiVersion;
  const outcome = await deployStack(swarm, { stack: "st", compose: input.value!, baseDir: dir, variables: {}, prune: false, dryRun: false, detach: true });
  const [created] = [...swarm.services.values()];
  return { outcome, healthcheck: created!.spec.TaskTemplate.ContainerSpec.Healthcheck as Record<string, unknown> };
}

describe("deploy: settings newer than the engine's API", () => {
  test("an API 1.44 engine gets StartInterval, and nothing is said", async () => {
    const { outcome, healthcheck } = await deployOn("1.44");
    assert.equal(healthcheck.StartInterval, 2_000_000_000);
    assert.deepEqual(outcome.warnings.filter((w) => w.message.includes("start_interval")), []);
  });

  test("an API 1.41 engine gets no StartInterval, and a warning at the key names the engine's version", async () => {
    const { outcome, healthcheck } = await deployOn("1.41");
    assert.equal(healthcheck.StartInterval, undefined);
    assert.deepEqual(healthcheck.Test, ["CMD", "true"]);
    const warnings = outcome.warnings.filter((w) => w.message.includes("start_interval"));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.severity, "warning");
    assert.deepEqual([warnings[0]!.at?.line, warnings[0]!.at?.col], [6, 7]);
    assert.match(warnings[0]!.message, /needs Engine API 1\.44 .*this engine speaks API 1\.41/);
  });
});
