/**
 * deploy asks the engine for its API version and sends what that version
 * knows: StartInterval from 1.44 on; before that, a warning at the key's line.
 * Cluster (CSI) volumes from 1.42 on; before that, an error at the line that
 * asks for one, and nothing reaches the engine.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadProject } from "../../src/compose/load.js";
import { deployStack } from "../../src/deploy/deploy-stack.js";
import { stackFromModel } from "../../src/deploy/stack-input.js";
import { folderWith } from "./support.js";
import { FakeSwarm } from "../support/fake-swarm.js";
import { PodlikeError } from "../../src/diagnostics/index.js";

const FILE = "services:\n  app:\n    image: busybox\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n      start_interval: 2s\n";

async function deployOn(apiVersion: string, file = FILE) {
  const dir = folderWith({ "compose.yaml": file });
  const loaded = await loadProject({ files: ["compose.yaml"], cwd: dir, env: {} });
  const input = await stackFromModel(loaded.value!);
  const swarm = new FakeSwarm();
  swarm.engineApiVersion = apiVersion;
  const outcome = await deployStack(swarm, { stack: "st", compose: input.value!, baseDir: dir, variables: {}, prune: false, dryRun: false, detach: true });
  const [created] = [...swarm.services.values()];
  return { outcome, swarm, spec: created!.spec, healthcheck: created!.spec.TaskTemplate.ContainerSpec.Healthcheck as Record<string, unknown> };
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

describe("deploy: oom_score_adj needs API 1.46", () => {
  const file = "services:\n  app:\n    image: busybox\n    oom_score_adj: -200\n";
  test("an API 1.46 engine gets ContainerSpec.OomScoreAdj, as docker stack deploy sends it", async () => {
    const { spec, outcome } = await deployOn("1.46", file);
    assert.equal(spec.TaskTemplate.ContainerSpec.OomScoreAdj, -200);
    assert.deepEqual(outcome.warnings.filter((w) => w.message.includes("oom_score_adj")), []);
  });

  test("an API 1.41 engine gets none, and a warning at the key names the engine's version", async () => {
    const { spec, outcome } = await deployOn("1.41", file);
    assert.equal(spec.TaskTemplate.ContainerSpec.OomScoreAdj, undefined);
    const warnings = outcome.warnings.filter((w) => w.message.includes("oom_score_adj"));
    assert.deepEqual(warnings.map((w) => [w.severity, w.at?.line]), [["warning", 4]]);
    assert.match(warnings[0]!.message, /needs Engine API 1\.46 \(Docker 27\), and this engine speaks API 1\.41/);
  });
});

const CLUSTER = [
  "services:",
  "  db:",
  "    image: postgres",
  "    volumes:",
  "      - type: cluster",
  "        source: data",
  "        target: /var/lib/postgresql/data",
  "      - type: cluster",
  "        source: group:shared",
  "        target: /shared",
  "        read_only: true",
  "volumes:",
  "  data:",
  "    driver: csi.example.com",
  "    x-cluster-spec:",
  "      group: db",
  "",
].join("\n");

describe("deploy: cluster (CSI) volumes", () => {
  test("an API 1.41 engine: the deploy stops with an error at each cluster mount that names the engine's version", async () => {
    const error = await deployOn("1.41", CLUSTER).then(
      () => assert.fail("the deploy went ahead"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PodlikeError, String(error));
    const refused = error.diagnostics.filter((d) => d.code === "ENGINE_UNSUPPORTED");
    assert.deepEqual(refused.map((d) => [d.severity, d.at?.line, d.at?.col]), [["error", 5, 9], ["error", 8, 9]]);
    assert.match(refused[0]!.message, /^service "db": volumes\[0\] mounts a cluster \(CSI\) volume.*need Engine API 1\.42 \(Docker 23\).*this engine speaks API 1\.41/);
    assert.match(refused[0]!.hint!, /Docker 23 or later/);
  });

  test("an API 1.41 engine: a volume with x-cluster-spec is refused at that key, even when mounted with type volume", async () => {
    const file = "services:\n  db:\n    image: postgres\n    volumes: [data:/data]\nvolumes:\n  data:\n    driver: csi.example.com\n    x-cluster-spec:\n      group: db\n";
    const error = (await deployOn("1.41", file).catch((e: unknown) => e)) as PodlikeError;
    const refused = error.diagnostics.filter((d) => d.code === "ENGINE_UNSUPPORTED");
    assert.deepEqual(refused.map((d) => [d.at?.line, d.at?.col]), [[8, 5]]);
    assert.match(refused[0]!.message, /volume "data" is a cluster \(CSI\) volume \(x-cluster-spec\).*this engine speaks API 1\.41/);
  });

  test("an API 1.42 engine gets cluster mounts as docker stack deploy writes them: the stack's volume name, or the group as given", async () => {
    const { spec, outcome } = await deployOn("1.42", CLUSTER);
    assert.deepEqual(spec.TaskTemplate.ContainerSpec.Mounts, [
      { Type: "cluster", Target: "/var/lib/postgresql/data", Source: "st_data", ClusterOptions: {} },
      { Type: "cluster", Target: "/shared", ReadOnly: true, Source: "group:shared", ClusterOptions: {} },
    ]);
    assert.deepEqual(outcome.warnings.filter((w) => /cluster/i.test(w.message)), []);
  });

  test("an API 1.42 engine: a cluster volume mounted with type volume is mounted as docker stack deploy does, with a warning saying how to mount it", async () => {
    const file = "services:\n  db:\n    image: postgres\n    volumes: [data:/data]\nvolumes:\n  data:\n    driver: csi.example.com\n    x-cluster-spec:\n      group: db\n";
    const { spec, outcome } = await deployOn("1.42", file);
    const [mount] = spec.TaskTemplate.ContainerSpec.Mounts as Record<string, any>[];
    assert.equal(mount!.Type, "volume");
    assert.equal(mount!.VolumeOptions.DriverConfig.Name, "csi.example.com");
    const warnings = outcome.warnings.filter((w) => w.message.includes("x-cluster-spec"));
    assert.deepEqual(warnings.map((w) => [w.at?.line]), [[4]]);
    assert.match(warnings[0]!.hint!, /type: cluster, source: data, target: \/data/);
  });
});
