import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { registryAuthFor, registryOf } from "../../src/controller/pull.js";

describe("images", () => {
  test("registry credentials come from a mounted config.json", () => {
    assert.equal(registryOf("busybox"), "docker.io");
    assert.equal(registryOf("registry.example.com:5000/team/app:1"), "registry.example.com:5000");
    const config = JSON.stringify({ auths: { "registry.example.com:5000": { auth: Buffer.from("me:pw").toString("base64") }, "https://index.docker.io/v1/": { auth: Buffer.from("hub:tok").toString("base64") } } });
    const read = (p: string) => {
      if (p === "/cfg/config.json") return config;
      throw new Error("ENOENT");
    };
    assert.deepEqual(registryAuthFor("registry.example.com:5000/app", { DOCKER_CONFIG: "/cfg" }, read), { serveraddress: "registry.example.com:5000", username: "me", password: "pw" });
    assert.equal(registryAuthFor("library/busybox", { DOCKER_CONFIG: "/cfg" }, read)?.username, "hub");
    assert.equal(registryAuthFor("quay.io/x", { DOCKER_CONFIG: "/cfg" }, read), undefined);
  });
});
