/**
 * deploy asks the engine its questions while the Compose file loads. What the
 * user sees must not depend on that: a file with errors is reported as such
 * (and the command ends at once, whatever the engine does), and an engine
 * that is not a manager is reported as one, not by a read that failed beside
 * the check.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { folderWith } from "../support/folders.js";
import { engineSocket as fakeEngine, replyJson as reply } from "../support/engine-socket.js";
import { runPodlike } from "../support/run-podlike.js";
import { runPodlikeProcess } from "../support/cli-process.js";

const BROKEN = "services:\n  web:\n    image: busybox\n    bogus_key: 1\n";
const VALID = "services:\n  web:\n    image: busybox\n";

describe("deploy: the engine is asked while the file loads", () => {
  test("a file with errors is reported at its line, and an engine that never answers does not hold the command", async (t) => {
    const engine = await fakeEngine(() => {}); // accepts, never answers
    t.after(engine.close);
    const dir = folderWith({ "compose.yml": BROKEN });
    // a process of its own: a request left open would keep it from exiting (it is killed after 20 s)
    const result = runPodlikeProcess(["deploy", "-c", "compose.yml", "st"], dir, 20_000, engine.env);
    assert.equal(result.code, 1, `${result.signal ?? ""} ${result.stderr}`);
    assert.match(result.stderr, /compose\.yml:4:5: error: service "web": additional property "bogus_key"/);
    assert.doesNotMatch(result.stderr, /engine|    at /);
  });

  test("a file with errors is reported, not the engine's refusal", async (t) => {
    const engine = await fakeEngine((_, res) => reply(res, 503, { message: "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state." }));
    t.after(engine.close);
    const dir = folderWith({ "compose.yml": BROKEN });
    const result = await runPodlike(["deploy", "-c", "compose.yml", "st"], { cwd: dir, env: engine.env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /compose\.yml:4:5: error: service "web": additional property "bogus_key"/);
    assert.doesNotMatch(result.stderr, /worker|manager/);
  });

  test("a worker is reported as a worker, even when the reads beside the check fail first", async (t) => {
    // the reads fail at once; the manager check answers last
    const engine = await fakeEngine((path, res) => {
      if (path.endsWith("/swarm")) setTimeout(() => reply(res, 503, { message: "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state." }), 200);
      else reply(res, 500, { message: "rpc error: this node is not a manager" });
    });
    t.after(engine.close);
    const dir = folderWith({ "compose.yml": VALID });
    const result = await runPodlike(["deploy", "-c", "compose.yml", "st"], { cwd: dir, env: engine.env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /is a Swarm worker, not a manager/);
    assert.doesNotMatch(result.stderr, /rpc error|reading stack|API version/);
    assert.ok(engine.paths.some((p) => p.endsWith("/swarm")));
  });

  test("of several failed reads, the one reported is the first in order, not the first to answer", async (t) => {
    // a manager whose version answer fails last; the stack's reads fail first
    const engine = await fakeEngine((path, res) => {
      if (path.endsWith("/swarm")) reply(res, 200, { ID: "swarm" });
      else if (path.endsWith("/_ping")) setTimeout(() => reply(res, 500, { message: "version unavailable" }), 200);
      else reply(res, 500, { message: "store unavailable" });
    });
    t.after(engine.close);
    const dir = folderWith({ "compose.yml": VALID });
    const result = await runPodlike(["deploy", "-c", "compose.yml", "st"], { cwd: dir, env: engine.env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /asking the engine for its API version: version unavailable/);
    assert.doesNotMatch(result.stderr, /store unavailable|    at /);
  });
});
