/**
 * podlike deploy keeps what docker stack deploy keeps, on the real engine:
 * a network attachment's driver_opts (a plain service's and a pod member's)
 * reach the service spec, healthcheck.start_interval and oom_score_adj follow
 * the engine's API version, and a cluster (CSI) volume on an engine older than API 1.42 is a
 * clear error at its line.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";
import { CONTROLLER_IMAGE, ensureControllerImage } from "../controller/e2e-support.js";
import { runPodlike } from "../support/run-podlike.js";
import { apiAtLeast } from "../../src/engine-spec/problem.js";

const NS = "com.docker.stack.namespace";
const LOOP = `["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`;

const engineApi = () => docker(["version", "--format", "{{.Server.APIVersion}}"]);

function stackObjects(stack: string) {
  const list = (kind: string) => docker([kind, "ls", "-q", "--filter", `label=${NS}=${stack}`], { allowFail: true }).split("\n").filter(Boolean);
  return { services: list("service"), networks: list("network") };
}

const spec = (service: string) => JSON.parse(docker(["service", "inspect", service, "--format", "{{json .Spec}}"])) as Record<string, any>;

const COMPOSE = (controllerImage: string) => `services:
  api:
    image: ${BUSYBOX}
    command: ${LOOP}
    networks:
      back:
        aliases: [api.internal]
        driver_opts:
          com.example.qos: gold
    healthcheck:
      test: ["CMD", "true"]
      interval: 5s
      start_interval: 1s
    oom_score_adj: -100
  app:
    image: ${BUSYBOX}
    command: ${LOOP}
    networks:
      back:
        driver_opts:
          com.example.tier: app
networks:
  back:
    driver: overlay
x-pods:
  pod:
    components: [app]
    controller:
      image: ${controllerImage}
`;

describe("podlike deploy keeps what docker stack deploy keeps", e2eOptions(), () => {
  const stack = testName("stackkeys");
  const dir = mkdtempSync(join(tmpdir(), "podliketest-stackkeys-"));
  let deployed: Awaited<ReturnType<typeof runPodlike>>;

  before(async () => {
    ensureControllerImage();
    writeFileSync(join(dir, "compose.yml"), COMPOSE(CONTROLLER_IMAGE));
    deployed = await runPodlike(["deploy", "-c", "compose.yml", "--timeout", "120", stack], { cwd: dir });
  });
  after(async () => {
    await runPodlike(["rm", stack], { cwd: dir });
    const left = stackObjects(stack);
    if (left.services.length) docker(["service", "rm", ...left.services], { allowFail: true });
    if (left.networks.length) docker(["network", "rm", ...left.networks], { allowFail: true });
    rmSync(dir, { recursive: true, force: true });
  });

  test("the stack deploys and runs", () => {
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.doesNotMatch(deployed.stderr, /error:/);
  });

  test("a network attachment's driver_opts are in the service spec, a plain service's and a pod member's (on the pod's service)", () => {
    const [api] = spec(`${stack}_api`).TaskTemplate.Networks as Record<string, any>[];
    assert.deepEqual(api!.DriverOpts, { "com.example.qos": "gold" });
    assert.ok((api!.Aliases as string[]).includes("api.internal"), "the attachment keeps its aliases");
    const [pod] = spec(`${stack}_pod`).TaskTemplate.Networks as Record<string, any>[];
    assert.deepEqual(pod!.DriverOpts, { "com.example.tier": "app" });
  });

  test("healthcheck.start_interval is sent where the engine's API has it, and otherwise named in a warning at its line", () => {
    const api = engineApi();
    const healthcheck = spec(`${stack}_api`).TaskTemplate.ContainerSpec.Healthcheck as Record<string, unknown>;
    assert.equal(healthcheck.Interval, 5_000_000_000, "the rest of the health check is kept");
    if (apiAtLeast(api, "1.44")) {
      assert.equal(healthcheck.StartInterval, 1_000_000_000);
      assert.doesNotMatch(deployed.stderr, /start_interval/);
    } else {
      assert.equal(healthcheck.StartInterval, undefined);
      assert.match(deployed.stderr, new RegExp(`compose\\.yml:13:\\d+: warning: service "api": healthcheck\\.start_interval is ignored: .*this engine speaks API ${api.replace(".", "\\.")}`));
    }
  });

  test("oom_score_adj is sent where the engine's API has it, and otherwise named in a warning at its line", () => {
    const api = engineApi();
    const container = spec(`${stack}_api`).TaskTemplate.ContainerSpec as Record<string, unknown>;
    if (apiAtLeast(api, "1.46")) assert.equal(container.OomScoreAdj, -100);
    else {
      assert.equal(container.OomScoreAdj, undefined);
      assert.match(deployed.stderr, new RegExp(`compose\\.yml:14:\\d+: warning: service "api": oom_score_adj is ignored: it needs Engine API 1\\.46 \\(Docker 27\\), and this engine speaks API ${api.replace(".", "\\.")}`));
    }
  });

  test("a cluster (CSI) volume on an engine older than API 1.42 is an error at its line naming the engine's version; nothing is created", async (t) => {
    const api = engineApi();
    if (apiAtLeast(api, "1.42")) return t.skip(`this engine speaks API ${api}, which has cluster volumes`);
    const clusterDir = mkdtempSync(join(tmpdir(), "podliketest-stackkeys-"));
    t.after(() => rmSync(clusterDir, { recursive: true, force: true }));
    writeFileSync(
      join(clusterDir, "compose.yml"),
      `services:\n  db:\n    image: ${BUSYBOX}\n    volumes: [data:/data]\nvolumes:\n  data:\n    driver: csi.example.com\n    x-cluster-spec:\n      group: db\n`,
    );
    const other = testName("csi");
    t.after(() => {
      const left = stackObjects(other);
      if (left.services.length) docker(["service", "rm", ...left.services], { allowFail: true });
      if (left.networks.length) docker(["network", "rm", ...left.networks], { allowFail: true });
    });
    const result = await runPodlike(["deploy", "-c", "compose.yml", other], { cwd: clusterDir });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(`compose\\.yml:8:5: error: service "db": volume "data" is a cluster \\(CSI\\) volume \\(x-cluster-spec\\).*need Engine API 1\\.42 \\(Docker 23\\).*this engine speaks API ${api.replace(".", "\\.")}`),
    );
    assert.match(result.stderr, /fix: /);
    assert.doesNotMatch(result.stderr, /internal error|    at /);
    assert.deepEqual(stackObjects(other), { services: [], networks: [] });
  });
});
