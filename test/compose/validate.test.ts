import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { validateSchema } from "../../src/compose/validate.js";
import { modelFromYaml, yaml } from "../support/compose-model.js";

const messages = (text: string) => validateSchema(modelFromYaml(text)).map((d) => `${d.at?.line}:${d.at?.col} ${d.message}`);

describe("validateSchema", () => {
  it("accepts a file with pods as the design describes them", () => {
    assert.deepEqual(
      messages(yaml`
        services:
          a: {image: x}
        x-pods:
          p:
            components: [a]
            init: []
            deploy: {replicas: 2, placement: {constraints: [node.role == worker]}}
            controller: {image: c, logs: true, pull: false, share: {pid: false, ipc: true, volumes: true}}
      `),
      [],
    );
  });

  it("reports one message for a value that matches none of a key's forms", () => {
    // a port may be a number, a string or a mapping: a boolean fails all three, reported once
    assert.deepEqual(messages("services:\n  a:\n    ports: [true]\n"), ['3:13 service "a": ports[0] must be a number, string or mapping']);
  });

  it("reports the deeper error of the form the user chose, not the other forms", () => {
    assert.deepEqual(messages("services:\n  a:\n    ports:\n      - target: 80\n        protocol: [tcp]\n"), [
      '5:19 service "a": ports[0].protocol must be a string',
    ]);
  });

  it("points an unknown key at the key and suggests the closest known one", () => {
    const [d] = validateSchema(modelFromYaml("services:\n  a:\n    image: x\n    helthcheck: {}\n"));
    assert.equal(d?.message, 'service "a": additional property "helthcheck" is not allowed (did you mean "healthcheck"?)');
    assert.deepEqual([d?.at?.line, d?.at?.col], [4, 5]);
    assert.equal(d?.hint, 'rename it to "healthcheck"');
  });

  it("accepts x- extension keys in services and at the top, but not in a pod", () => {
    assert.deepEqual(messages("x-top: 1\nservices:\n  a:\n    image: x\n    x-note: y\n"), []);
    assert.deepEqual(messages("services:\n  a: {image: x}\nx-pods:\n  p:\n    components: [a]\n    x-note: y\n"), [
      '6:5 pod "p": additional property "x-note" is not allowed',
    ]);
  });

  it("accepts values that interpolation left as strings where Compose takes numbers or booleans", () => {
    assert.deepEqual(messages('services:\n  a:\n    image: x\n    read_only: "true"\n    deploy: {replicas: "3"}\n'), []);
  });
});
