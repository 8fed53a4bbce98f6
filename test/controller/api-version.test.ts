/**
 * The controller reads the engine's API version once at start and builds its
 * members' create bodies for it: a setting newer than the engine is left out,
 * and the pod says so once, naming every member it was left out of.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FakeEngine } from "../support/fake-engine.js";
import { DEFAULT_FLAGS } from "../../src/controller/flags.js";
import { planPod } from "../../src/controller/plan.js";
import { CONTROLLER_IMAGE, IMAGE, service } from "./pod-fixture.js";

const HEALTHCHECK = { test: ["CMD", "true"], interval: "5s", start_interval: "1s" };

async function planOn(apiVersion: string) {
  const engine = new FakeEngine({ images: [IMAGE, CONTROLLER_IMAGE], apiVersion });
  const controller = engine.seed("ctl", {
    Image: CONTROLLER_IMAGE,
    Labels: {
      "pod.component.app": service({ healthcheck: HEALTHCHECK }),
      "pod.component.sidecar": service({ healthcheck: HEALTHCHECK, annotations: { "com.example.owner": "edge" } }),
      "pod.component.plain": service({ command: ["sleep", "60"] }),
    },
    HostConfig: { IpcMode: "private", Mounts: [] },
  });
  const info = await engine.inspectContainer(controller.id);
  const plan = planPod(info!, DEFAULT_FLAGS, { readFile: () => "", apiVersion: await engine.apiVersion() });
  const healthcheckOf = (name: string) => plan.components.find((c) => c.name === name)!.body.Healthcheck as Record<string, unknown>;
  const hostConfigOf = (name: string) => plan.components.find((c) => c.name === name)!.body.HostConfig as Record<string, unknown>;
  return { plan, healthcheckOf, hostConfigOf };
}

describe("controller: settings newer than the engine's API", () => {
  test("on an API 1.41 engine start_interval is left out, and the pod warns once for all its members", async () => {
    const { plan, healthcheckOf } = await planOn("1.41");
    assert.equal(healthcheckOf("app").StartInterval, undefined);
    assert.equal(healthcheckOf("sidecar").StartInterval, undefined);
    assert.equal(healthcheckOf("app").Interval, 5_000_000_000);
    const mentions = [...plan.warnings, ...plan.components.flatMap((c) => c.warnings)].filter((w) => w.includes("start_interval"));
    assert.deepEqual(mentions, ['healthcheck.start_interval is ignored ("app", "sidecar"): it needs Engine API 1.44, and this engine speaks 1.41']);
  });

  test("on an API 1.44 engine start_interval reaches every member's create body, without a warning", async () => {
    const { plan, healthcheckOf } = await planOn("1.44");
    assert.equal(healthcheckOf("app").StartInterval, 1_000_000_000);
    assert.equal(healthcheckOf("sidecar").StartInterval, 1_000_000_000);
    assert.deepEqual(plan.warnings.filter((w) => w.includes("start_interval")), []);
  });
});

describe("controller: annotations need API 1.43", () => {
  test("on an API 1.41 engine they are left out and named once", async () => {
    const { plan, hostConfigOf } = await planOn("1.41");
    assert.equal(hostConfigOf("sidecar").Annotations, undefined);
    const mentions = [...plan.warnings, ...plan.components.flatMap((c) => c.warnings)].filter((w) => w.includes("annotations"));
    assert.deepEqual(mentions, ['annotations is ignored ("sidecar"): it needs Engine API 1.43, and this engine speaks 1.41']);
  });

  test("on an API 1.43 engine they reach the create body, without a warning", async () => {
    const { plan, hostConfigOf } = await planOn("1.43");
    assert.deepEqual(hostConfigOf("sidecar").Annotations, { "com.example.owner": "edge" });
    assert.deepEqual(plan.warnings.filter((w) => w.includes("annotations")), []);
  });
});
