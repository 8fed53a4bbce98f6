/**
 * fixtures/convert/prototype-keys deployed on the real Swarm: environment
 * variables, labels, a network, a config and a volume named __proto__ or
 * constructor reach the engine, and the controller gives them to its
 * components.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";
import { CONTROLLER_IMAGE, ensureControllerImage, waitFor } from "../controller/e2e-support.js";
import { runPodlike } from "../support/run-podlike.js";
import { CONVERT_FIXTURES } from "../stack/support.js";

const NS = "com.docker.stack.namespace";

/** The fixture's services on the offline test image; sleep as PID 1 ignores SIGTERM, so each gets an init. */
const E2E_OVERRIDE = `
services:
  app: {image: ${BUSYBOX}, init: true}
  sidecar: {image: ${BUSYBOX}, init: true}
  plain: {image: ${BUSYBOX}, init: true, command: [sleep, "1000"]}
x-pods:
  prototype:
    controller: {image: ${CONTROLLER_IMAGE}}
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lines = (text: string) => text.split("\n").filter(Boolean);

describe("keys named __proto__ and constructor on a real Swarm", e2eOptions(), () => {
  const stack = testName("proto");
  const dir = mkdtempSync(join(tmpdir(), "podliketest-proto-"));
  const protoNetwork = `${stack}-net`;

  before(() => {
    ensureControllerImage();
    cpSync(join(CONVERT_FIXTURES, "prototype-keys"), dir, { recursive: true });
    rmSync(join(dir, "expected"), { recursive: true, force: true });
    writeFileSync(join(dir, "e2e.yml"), E2E_OVERRIDE);
  });

  after(async () => {
    const filter = ["--filter", `label=${NS}=${stack}`];
    const services = lines(docker(["service", "ls", "-q", ...filter], { allowFail: true }));
    if (services.length) docker(["service", "rm", ...services], { allowFail: true });
    for (let i = 0; i < 120; i++) {
      const left = docker(["ps", "-aq", "--filter", `name=${stack}_`], { allowFail: true });
      if (!left) break;
      await sleep(500);
    }
    for (const kind of ["config", "secret", "network", "volume"]) {
      const ids = lines(docker([kind, "ls", "-q", ...filter], { allowFail: true }));
      if (ids.length) docker([kind, "rm", ...ids], { allowFail: true });
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test("deploy creates them, attaches the pod to the __proto__ network, and the components get their environment, labels and volume", async () => {
    const result = await runPodlike(["deploy", "-c", "compose.yml", "-c", "compose.override.yml", "-c", "e2e.yml", "--timeout", "120", stack], { cwd: dir, env: { ...process.env, PROTO_NETWORK: protoNetwork } });
    assert.equal(result.code, 0, result.stderr + result.stdout);

    const plainEnv = JSON.parse(docker(["service", "inspect", `${stack}_plain`, "--format", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"]));
    assert.deepEqual(plainEnv, ["__proto__=plain", "constructor=from-override"]);
    const plainLabels = JSON.parse(docker(["service", "inspect", `${stack}_plain`, "--format", "{{json .Spec.Labels}}"]));
    assert.equal(plainLabels.__proto__, "plain-service");

    const network = docker(["network", "inspect", protoNetwork, "--format", "{{.ID}} {{index .Labels \"constructor\"}}"]).split(" ");
    assert.equal(network[1], "network");
    const podNetworks = JSON.parse(docker(["service", "inspect", `${stack}_prototype`, "--format", "{{json .Spec.TaskTemplate.Networks}}"])) as { Target: string; Aliases?: string[] }[];
    const attached = podNetworks.find((n) => n.Target === network[0]);
    assert.ok(attached, `the pod joins network __proto__ (${protoNetwork}): ${JSON.stringify(podNetworks)}`);
    assert.ok(attached.Aliases?.includes("app"), `alias app: ${JSON.stringify(attached)}`);

    const config = lines(docker(["config", "ls", "--filter", `label=${NS}=${stack}`, "--format", "{{.Name}}"]));
    assert.equal(config.length, 1);
    assert.match(config[0]!, new RegExp(`^${stack}___proto__-[0-9a-f]+$`));

    const app = await waitFor("component app running", () => docker(["ps", "-q", "--filter", "label=podlike.component=app", "--filter", `name=${stack}_prototype`], { allowFail: true }), 90_000, 500);
    const env = JSON.parse(docker(["inspect", app, "--format", "{{json .Config.Env}}"])) as string[];
    assert.ok(env.includes("__proto__=from-env-file") && env.includes("constructor=from-environment"), `environment: ${env}`);
    const labels = JSON.parse(docker(["inspect", app, "--format", "{{json .Config.Labels}}"]));
    assert.equal(labels.__proto__, "from-base");
    assert.equal(labels.prototype, "from-labels");
    const mounts = JSON.parse(docker(["inspect", app, "--format", "{{json .Mounts}}"])) as { Type: string; Name?: string; Destination: string }[];
    assert.deepEqual(mounts.filter((m) => m.Destination === "/data").map((m) => [m.Type, m.Name]), [["volume", `${stack}___proto__`]]);
    assert.equal(docker(["exec", app, "cat", "/etc/app.conf"]), "listen 80;");
  });
});
