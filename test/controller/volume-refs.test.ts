/**
 * Podlike's volume-ref label: a component naming `pids` mounts the volume the
 * controller got from Swarm under a templated name, not a plain `pids`.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FakeEngine } from "../support/fake-engine.js";
import { planPod } from "../../src/controller/plan.js";
import { DEFAULT_FLAGS } from "../../src/controller/flags.js";
import { readVolumeRefs } from "../../src/controller/volume-refs.js";

const REF = "com.github.rycus86.podlike.volume-ref";

describe("volume-ref labels", () => {
  test("a component's volume resolves to the controller's per-task volume carrying the reference", async () => {
    const engine = new FakeEngine();
    engine.volumes.set("pids_x1y2z3", { [REF]: "pids" });
    engine.volumes.set("mystack_other", {});
    const seeded = engine.seed("web.1.x1y2z3", {
      Image: "podlike/controller",
      Labels: { "pod.component.hello": "image: busybox\nvolumes: [pids:/var/pids]\n" },
      HostConfig: { Mounts: [
        { Type: "volume", Source: "pids_x1y2z3", Target: "/var/pids" },
        { Type: "volume", Source: "mystack_other", Target: "/other" },
      ] },
    });
    const controller = (await engine.inspectContainer(seeded.id))!;
    const refs = await readVolumeRefs(engine, controller);
    assert.deepEqual(refs, { pids: "pids_x1y2z3" });
    const plan = planPod(controller, DEFAULT_FLAGS, { volumeRefs: refs });
    const mounts = plan.components[0]!.body.HostConfig!.Mounts as { Source: string; Target: string }[];
    assert.deepEqual(mounts.map((m) => [m.Source, m.Target]), [["pids_x1y2z3", "/var/pids"]]);
  });

  test("without the label a component's volume keeps its own name", async () => {
    const engine = new FakeEngine();
    engine.volumes.set("pids_x1y2z3", {});
    const seeded = engine.seed("web.1.x1y2z3", {
      Image: "podlike/controller",
      Labels: { "pod.component.hello": "image: busybox\nvolumes: [pids:/var/pids]\n" },
      HostConfig: { Mounts: [{ Type: "volume", Source: "pids_x1y2z3", Target: "/var/pids" }] },
    });
    const controller = (await engine.inspectContainer(seeded.id))!;
    const plan = planPod(controller, DEFAULT_FLAGS, { volumeRefs: await readVolumeRefs(engine, controller) });
    const mounts = plan.components[0]!.body.HostConfig!.Mounts as { Source: string }[];
    assert.equal(mounts[0]!.Source, "pids");
  });
});
