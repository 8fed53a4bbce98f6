import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { decodeLabels, encodeLabels, LABELS, componentContainerName, type PodLabelModel } from "../../src/labels/protocol.js";

test("decodes each pod.copy form the original Podlike accepted", () => {
  const { model, problems } = decodeLabels({
    "pod.component.app": "image: busybox",
    "pod.copy.app": "/run/a:/etc/a",
    "pod.component.b": "image: busybox",
    "pod.copy.b": "- /run/b1:/etc/b1\n- /run/b2:/etc/b2",
    "pod.component.c": "image: busybox",
    "pod.copy.c": "/run/c: /etc/c",
    "pod.component.d": "image: busybox",
    "pod.copy.d": "- source: /run/d\n  target: /etc/d\n  mode: '0440'\n  uid: 100\n  gid: '101'",
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(model.copies, {
    app: [{ source: "/run/a", target: "/etc/a" }],
    b: [{ source: "/run/b1", target: "/etc/b1" }, { source: "/run/b2", target: "/etc/b2" }],
    c: [{ source: "/run/c", target: "/etc/c" }],
    d: [{ source: "/run/d", target: "/etc/d", mode: 0o440, uid: 100, gid: 101 }],
  });
});

test("bad labels are reported by name, with the problem", () => {
  const { problems } = decodeLabels({
    "pod.component.-bad": "image: x",
    "pod.component.list": "- image: x",
    "pod.component.broken": "image: [x",
    "pod.copy.nobody": "/a:/b",
    "pod.init.components": "image: x",
    "pod.component.m": "image: x",
    "pod.copy.m": "- source: /a\n  target: /b\n  mode: rwx",
  });
  const byLabel = Object.fromEntries(problems.map((p) => [p.label, p.message]));
  assert.match(byLabel["pod.component.-bad"]!, /must start with a letter or digit/);
  assert.match(byLabel["pod.component.list"]!, /must be a YAML mapping/);
  assert.match(byLabel["pod.component.broken"]!, /not valid YAML/);
  assert.match(byLabel["pod.copy.nobody"]!, /names no component "nobody"/);
  assert.match(byLabel["pod.init.components"]!, /must be a YAML list/);
  assert.match(byLabel["pod.copy.m"]!, /mode "rwx" must be an octal file mode/);
});

test("init components keep their names and order; unnamed ones are numbered", () => {
  const { model } = decodeLabels({ [LABELS.initComponents]: "- image: a\n  x-podlike-name: migrate\n- image: b\n" });
  assert.deepEqual(model.init, [
    { name: "migrate", service: { image: "a" } },
    { name: "init-2", service: { image: "b" } },
  ]);
});

test("component containers are named after their controller", () => {
  assert.equal(componentContainerName("/web.1.abc", "cache"), "web.1.abc.podlike.cache");
});

const name = fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,12}$/);
const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)));
const service = fc.dictionary(fc.string({ minLength: 1 }).filter((k) => k !== "x-podlike-name" && k !== "__proto__"), fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ minLength: 1 }).filter((k) => k !== "__proto__"), scalar, { maxKeys: 3, noNullPrototype: true })), { maxKeys: 5, noNullPrototype: true });
const path = fc.stringMatching(/^\/[a-z0-9/_.-]{1,20}$/);
const copy = fc.record({ source: path, target: path, mode: fc.option(fc.integer({ min: 0, max: 0o7777 }), { nil: undefined }), uid: fc.option(fc.nat(65535), { nil: undefined }), gid: fc.option(fc.nat(65535), { nil: undefined }) }, { noNullPrototype: true }).map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as typeof c);

test("property: decodeLabels(encodeLabels(pod)) equals pod", () => {
  fc.assert(
    fc.property(fc.dictionary(name, service, { minKeys: 1, maxKeys: 4, noNullPrototype: true }), fc.array(fc.record({ name, service }, { noNullPrototype: true }), { maxLength: 3 }), fc.array(copy, { maxLength: 3 }), (components, init, copies) => {
      const first = Object.keys(components)[0]!;
      const pod: PodLabelModel = { components, init, copies: copies.length ? { [first]: copies } : {} };
      const { model, problems } = decodeLabels(encodeLabels(pod));
      assert.deepEqual(problems, []);
      assert.deepEqual(model, pod);
    }),
  );
});
