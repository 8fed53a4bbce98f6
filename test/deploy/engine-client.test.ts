import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { engineError, engineTarget } from "../../src/deploy/engine-client.js";
import { folderWith } from "./support.js";

describe("reaching the engine as the docker CLI does", () => {
  test("the default socket, a unix socket, plain tcp", () => {
    assert.deepEqual(engineTarget({}).options, { socketPath: "/var/run/docker.sock" });
    assert.deepEqual(engineTarget({ DOCKER_HOST: "unix:///run/mn1/docker.sock" }).options, { socketPath: "/run/mn1/docker.sock" });
    assert.deepEqual(engineTarget({ DOCKER_HOST: "tcp://10.0.0.5:2375" }).options, { host: "10.0.0.5", port: 2375, protocol: "http" });
  });

  test("DOCKER_TLS_VERIFY reads ca, cert and key from DOCKER_CERT_PATH", () => {
    const dir = folderWith({ "ca.pem": "CA", "cert.pem": "CERT", "key.pem": "KEY" });
    const { options, address } = engineTarget({ DOCKER_HOST: "tcp://manager:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: dir });
    assert.equal(address, "tcp://manager:2376");
    assert.equal(options.protocol, "https");
    assert.equal(String(options.ca), "CA");
    assert.equal(String(options.cert), "CERT");
    assert.equal(String(options.key), "KEY");
  });

  test("TLS without a readable ca.pem is a clear error; unsupported schemes are usage errors", () => {
    assert.throws(() => engineTarget({ DOCKER_HOST: "tcp://m:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/nonexistent" }), /ca\.pem/);
    assert.throws(() => engineTarget({ DOCKER_HOST: "ssh://user@host" }), (e: Error) => e.name === "UsageError");
  });

  test("an unreachable engine becomes a message with a fix, not a stack trace", () => {
    const error = engineError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), "deploying", engineTarget({ DOCKER_HOST: "tcp://h:1" }));
    assert.equal(error.name, "OperationError");
    assert.match(error.message, /cannot reach the Docker engine at tcp:\/\/h:1/);
    assert.ok(error.hint);
    const refused = engineError({ statusCode: 400, json: { message: "rpc error: invalid mount" } }, "creating service st_web");
    assert.equal(refused.message, "creating service st_web: rpc error: invalid mount");
  });
});
