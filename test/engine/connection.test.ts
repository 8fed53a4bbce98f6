import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { engineTarget } from "../../src/engine/connection.js";
import { engineFailure } from "../../src/engine/errors.js";
import { folderWith } from "../support/folders.js";
import { engineSocket, replyJson } from "../support/engine-socket.js";

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
    const error = engineFailure(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), "deploying", engineTarget({ DOCKER_HOST: "tcp://h:1" }));
    assert.equal(error.name, "OperationError");
    assert.match(error.message, /cannot reach the Docker engine at tcp:\/\/h:1/);
    assert.ok(error.hint);
    const refused = engineFailure({ statusCode: 400, json: { message: "rpc error: invalid mount" } }, "creating service st_web");
    assert.equal(refused.message, "creating service st_web: rpc error: invalid mount");
  });
});

describe("the target must be a Swarm manager", () => {
  /** An engine that answers GET /swarm as a worker or a standalone engine does. */
  const fakeEngine = (message: string) => engineSocket((path, res) => replyJson(res, path.endsWith("/swarm") ? 503 : 404, { message }));

  test("a worker node is refused with a hint to use a manager", async (t) => {
    const { connectManager } = await import("../../src/engine/manager.js");
    const engine = await fakeEngine("This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state.");
    t.after(engine.close);
    await assert.rejects(connectManager(engine.env), (e: Error & { hint?: string }) => e.name === "OperationError" && /worker, not a manager/.test(e.message) && /manager/.test(e.hint!));
  });

  test("an engine outside any Swarm is refused with a hint to init one", async (t) => {
    const { connectManager } = await import("../../src/engine/manager.js");
    const engine = await fakeEngine('This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.');
    t.after(engine.close);
    await assert.rejects(connectManager(engine.env), (e: Error & { hint?: string }) => e.name === "OperationError" && /not a Swarm manager/.test(e.message) && /swarm init/.test(e.hint!));
  });
});
