import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadProject } from "../../src/compose/load.js";
import { buildDesiredStack } from "../../src/deploy/desired.js";
import { stackFromModel } from "../../src/deploy/stack-input.js";
import { CONVERT_FIXTURES } from "../stack/support.js";
import { desiredFrom } from "./support.js";

/**
 * Deploy sends what fixtures/convert/prototype-keys names __proto__ or
 * constructor: environment variables, labels, the network a pod member joins,
 * configs, secrets and volumes.
 */

async function desiredFixture() {
  const dir = join(CONVERT_FIXTURES, "prototype-keys");
  const loaded = await loadProject({ files: [], cwd: dir, env: {} });
  assert.ok(loaded.value, JSON.stringify(loaded.diagnostics));
  const input = await stackFromModel(loaded.value);
  assert.ok(input.value, JSON.stringify(input.diagnostics));
  const built = buildDesiredStack(input.value, "st", { baseDir: dir, variables: loaded.value.variables });
  assert.deepEqual(built.diagnostics.filter((d) => d.severity === "error"), []);
  const spec = (key: string) => built.value.services.find((s) => s.key === key)!.spec as Record<string, any>;
  return { desired: built.value, spec };
}

test("deploy: a plain service's environment, labels and service labels named __proto__ reach its spec", async () => {
  const { spec } = await desiredFixture();
  const container = spec("plain").TaskTemplate.ContainerSpec;
  assert.deepEqual(container.Env, ["__proto__=plain", "constructor=from-override"]);
  assert.ok(Object.hasOwn(container.Labels, "__proto__") && container.Labels.__proto__ === "plain", JSON.stringify(container.Labels));
  assert.ok(Object.hasOwn(spec("plain").Labels, "__proto__") && spec("plain").Labels.__proto__ === "plain-service");
});

test("deploy: the pod's controller joins the network its member named __proto__, with the member's aliases", async () => {
  const { spec } = await desiredFixture();
  const networks = spec("prototype").TaskTemplate.Networks as { Target: string; Aliases?: string[] }[];
  const attached = networks.find((n) => n.Target === "prototype-net");
  assert.ok(attached, `networks: ${JSON.stringify(networks)}`);
  assert.deepEqual([...(attached.Aliases ?? [])].sort(), ["api", "app", "prototype"]);
});

test("deploy: a config, secret, network and volume named __proto__ or constructor are created with their labels", async () => {
  const { desired, spec } = await desiredFixture();
  const config = desired.configs.find((c) => c.key === "__proto__");
  assert.ok(config, "config __proto__ is created");
  assert.match(config.name, /^st___proto__-[0-9a-f]+$/);
  assert.equal((config.spec!.Labels as Record<string, string>).__proto__, "config");
  assert.ok(desired.secrets.some((s) => s.key === "constructor"), "secret constructor is created");
  const network = desired.networks.find((n) => n.key === "__proto__");
  assert.equal((network?.create?.Labels as Record<string, string> | undefined)?.constructor, "network");
  const mount = (spec("prototype").TaskTemplate.ContainerSpec.Mounts as Record<string, any>[]).find((m) => m.Source === "st___proto__");
  assert.ok(mount, "the controller mounts the stack's volume __proto__");
  assert.equal(mount.VolumeOptions.Labels.__proto__, "volume");
});

test("deploy: a secret read from an unset variable named constructor is reported at its key, not read from Object", async () => {
  const yaml = "services:\n  app:\n    image: busybox\n    secrets: [token]\nsecrets:\n  token:\n    environment: constructor\n";
  const { diagnostics } = await desiredFrom(yaml);
  const unset = diagnostics.filter((d) => d.code === "OBJECT_FILE");
  assert.deepEqual(
    unset.map((d) => [d.message, d.at?.line, d.at?.col]),
    [['secret "token": environment variable constructor is not set', 7, 18]],
  );
});
