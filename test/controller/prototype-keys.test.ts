import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { DEFAULT_FLAGS } from "../../src/controller/flags.js";
import { planPod } from "../../src/controller/plan.js";
import type { CopySource } from "../../src/controller/copy.js";
import { FakeEngine } from "../support/fake-engine.js";
import { CONVERT_FIXTURES } from "../stack/support.js";
import { CONTROLLER_IMAGE, IMAGE } from "./pod-fixture.js";

/**
 * The controller reads the labels convert wrote for fixtures/convert/prototype-keys:
 * environment variables, labels and a volume named __proto__ or constructor
 * reach the component containers it creates.
 */

const stackFile = join(CONVERT_FIXTURES, "prototype-keys", "expected", "stack.yml");

async function plannedFixturePod() {
  const stack = parse(readFileSync(stackFile, "utf8")) as { services: Record<string, { labels: Record<string, string> }> };
  const engine = new FakeEngine({ images: [IMAGE, CONTROLLER_IMAGE] });
  const controller = engine.seed("ctl", {
    Image: CONTROLLER_IMAGE,
    Labels: stack.services.prototype!.labels,
    HostConfig: { IpcMode: "private", Mounts: [{ Type: "volume", Source: "st___proto__", Target: "/run/podlike/volumes/__proto__" }] },
  });
  // the controller's copy of the config and secret, as Swarm would have mounted them
  const copySource: CopySource = { isDirectory: () => false, read: () => Buffer.from("x"), mode: () => 0o444, list: () => [] };
  const plan = planPod((await engine.inspectContainer(controller.id))!, DEFAULT_FLAGS, { readFile: () => "", copySource });
  return (name: string) => plan.components.find((c) => c.name === name)!.body;
}

test("controller: a component's environment variables named __proto__ and constructor are set in its container", async () => {
  const body = await plannedFixturePod();
  assert.deepEqual(body("app").Env, ["__proto__=from-env-file", "constructor=from-environment"]);
  assert.deepEqual(body("sidecar").Env, ["__proto__=from-dotenv", "prototype=bare-from-dotenv"]);
});

test("controller: a component's labels named __proto__ and prototype are container labels", async () => {
  const labels = (await plannedFixturePod())("app").Labels as Record<string, string>;
  assert.ok(Object.hasOwn(labels, "__proto__"), `labels: ${JSON.stringify(labels)}`);
  assert.equal(labels.__proto__, "from-base");
  assert.equal(labels.prototype, "from-labels");
});

test("controller: a volume named __proto__ mounts the stack volume the controller was given", async () => {
  const mounts = (await plannedFixturePod())("app").HostConfig?.Mounts as { Type: string; Source: string; Target: string }[];
  assert.deepEqual(
    mounts.filter((m) => m.Target === "/data").map((m) => [m.Type, m.Source]),
    [["volume", "st___proto__"]],
  );
});
