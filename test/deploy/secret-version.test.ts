import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { secretVersion } from "../../src/deploy/names.js";
import { specOf } from "./support.js";

const sha256Prefix = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 10);

describe("secret versions", () => {
  test("a secret's name does not carry a plain hash of its content: a PIN is not found by hashing candidates", async () => {
    const { spec } = await specOf("image: busybox\nsecrets: [pin]", "secrets:\n  pin: {file: ./pin.txt}\n", { "pin.txt": "4821" });
    const name = spec.TaskTemplate.ContainerSpec.Secrets[0].SecretName as string;
    const version = /^st_pin-([0-9a-f]{10})$/.exec(name)?.[1];
    assert.ok(version, name);
    assert.notEqual(version, sha256Prefix("4821"));
    // what the old scheme allowed: every 4-digit candidate hashed in a blink, none matches now
    const found = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, "0")).find((pin) => sha256Prefix(pin) === version);
    assert.equal(found, undefined);
    assert.equal(version, secretVersion(Buffer.from("4821"), "st", "pin"), "the slow salted derivation");
  });

  test("stable for the same content, and different per stack, per secret name and per key", () => {
    const data = Buffer.from("s3cret");
    const base = secretVersion(data, "st", "key");
    assert.match(base, /^[0-9a-f]{10}$/);
    assert.equal(secretVersion(data, "st", "key"), base);
    assert.notEqual(secretVersion(Buffer.from("s3cret2"), "st", "key"), base);
    assert.notEqual(secretVersion(data, "other", "key"), base);
    assert.notEqual(secretVersion(data, "st", "token"), base);
    assert.notEqual(secretVersion(data, "st", "key", "a deploy key"), base);
  });
});
