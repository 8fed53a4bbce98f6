import { test } from "node:test";
import assert from "node:assert/strict";
import { PodlikeError } from "../../src/diagnostics/errors.js";
import { decodeLabels } from "../../src/labels/protocol.js";
import { fakePod, leftovers, service, until } from "./pod-fixture.js";

/**
 * Components named like methods of every JavaScript object are ordinary
 * names: the label tables are looked up by own key, never through
 * Object.prototype.
 */

test("labels: pod.copy of a component named constructor or toString decodes to its own copies only", () => {
  const { model, problems } = decodeLabels({
    "pod.component.constructor": "image: busybox\n",
    "pod.component.toString": "image: busybox\n",
    "pod.copy.constructor": "- source: /run/a\n  target: /a\n",
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(Object.keys(model.components).sort(), ["constructor", "toString"]);
  assert.deepEqual(model.copies, { constructor: [{ source: "/run/a", target: "/a" }] });
});

test("controller: components named constructor, toString and hasOwnProperty run in dependency order under their own names", async () => {
  const pod = await fakePod({
    "pod.component.constructor": service({ command: "sleep 1000", depends_on: ["toString"] }),
    "pod.component.toString": service({ command: "sleep 1000" }),
    "pod.component.hasOwnProperty": service({ command: "sleep 1000" }),
  });
  const done = pod.supervisor.run();
  await until(() => pod.engine.byName("ctl.podlike.constructor")?.status === "running", "constructor running");
  const calls = pod.engine.calls;
  assert.ok(calls.indexOf("start ctl.podlike.toString") < calls.indexOf("start ctl.podlike.constructor"));
  assert.equal(pod.engine.byName("ctl.podlike.hasOwnProperty")?.body.Labels?.["podlike.component"], "hasOwnProperty");
  assert.equal(pod.engine.byName("ctl.podlike.toString")?.status, "running");
  pod.supervisor.stop("test");
  assert.equal(await done, 0);
  assert.deepEqual(leftovers(pod), []);
});

test("controller: depends_on a component named constructor that the pod lacks is a label problem, not a dependency on Object", async () => {
  await assert.rejects(
    fakePod({ "pod.component.app": service({ command: "sleep 1000", depends_on: ["constructor"] }) }),
    (error: unknown) => error instanceof PodlikeError && /depends_on names "constructor", which is not a component of this pod/.test(error.diagnostics[0]!.message),
  );
});
