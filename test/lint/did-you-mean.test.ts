import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { didYouMean } from "../../src/diagnostics/did-you-mean.js";

describe("didYouMean", () => {
  it("suggests the closest name for a typo", () => {
    assert.equal(didYouMean("imagee", ["image", "ports", "init"]), "image");
    assert.equal(didYouMean("enviroment", ["environment", "env_file"]), "environment");
    assert.equal(didYouMean("cahce", ["cache", "server"]), "cache");
    assert.equal(didYouMean("Image", ["image"]), "image");
  });

  it("suggests nothing when no name is close", () => {
    assert.equal(didYouMean("logger", ["server", "cache", "migrate"]), undefined);
    assert.equal(didYouMean("x", ["image"]), undefined);
    assert.equal(didYouMean("db", []), undefined);
  });
});
