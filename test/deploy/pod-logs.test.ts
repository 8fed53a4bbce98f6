import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough, type Readable } from "node:stream";
import { streamPodLogs } from "../../src/deploy/pod-logs.js";
import type { ServiceLogOptions } from "../../src/engine/swarm.js";
import { FakeSwarm } from "../support/fake-swarm.js";
import { serviceLogFrame } from "../support/stream-frames.js";


/** A manager whose pod has a task on pl1 (up) and one on pl2 (down): its service logs reply sends pl1's line, then waits for pl2 for ever. */
class ManagerWaitingForANode extends FakeSwarm {
  constructor(pl2: string) {
    super();
    this.services.set("s1", {
      id: "s1",
      name: "st_web",
      version: 1,
      spec: { Name: "st_web", Labels: { "com.docker.stack.namespace": "st" }, Mode: { Replicated: { Replicas: 2 } }, TaskTemplate: { ContainerSpec: { Image: "ctl", Args: ["--logs"], Labels: { "pod.component.app": "image: x" } } } },
    });
    this.nodes.splice(0, this.nodes.length,
      { id: "n1", hostname: "pl1", role: "manager", state: "ready", availability: "active", address: "10.0.0.1" },
      { id: "n2", hostname: "pl2", role: "worker", state: pl2, availability: "active", address: "10.0.0.2" },
    );
    this.tasks = [
      { id: "t1", serviceId: "s1", slot: 1, nodeId: "n1", desiredState: "running", state: "running", createdAt: "1" },
      { id: "t2", serviceId: "s1", slot: 2, nodeId: "n2", desiredState: "running", state: "running", createdAt: "1" },
    ];
    this.taskOutput.set("t1", serviceLogFrame("app | from pl1"));
  }

  override async serviceLogs(_id: string, options: ServiceLogOptions = {}): Promise<Readable> {
    const body = new PassThrough();
    body.write(serviceLogFrame("app | from pl1"));
    options.signal?.addEventListener("abort", () => body.destroy(options.signal!.reason as Error));
    return body;
  }
}

async function logsOf(swarm: FakeSwarm, historyWaitMs = 200) {
  const lines: string[] = [];
  const warnings: string[] = [];
  const started = Date.now();
  await streamPodLogs(swarm, { stack: "st", follow: false, historyWaitMs }, { line: (l) => lines.push(`${l.component} | ${l.text}`), warn: (m) => warnings.push(m) });
  return { lines, warnings, ms: Date.now() - started };
}

describe("podlike logs while a node is down", () => {
  test("without -f, a node Swarm knows is down: at once, what the other nodes sent, and the node named", async () => {
    const swarm = new ManagerWaitingForANode("down");
    // a wait far longer than the test may take: the answer must not depend on it
    const { lines, warnings } = await logsOf(swarm, 600_000);
    assert.deepEqual(lines, ["app | from pl1"]);
    assert.deepEqual(warnings, ["pod web: no output from node pl2 (down); shown: what the other nodes sent"]);
    assert.deepEqual(swarm.taskLogRequests, ["t1"], "the down node's task is not asked for");
  });

  test("a node Swarm still thinks ready (it has just gone): after the wait, the output that came, and a warning saying the reply was cut short", async () => {
    const { lines, warnings } = await logsOf(new ManagerWaitingForANode("ready"));
    assert.deepEqual(lines, ["app | from pl1"]);
    assert.match(warnings[0] ?? "", /^pod web: the engine had not sent all of its output within 0 s/);
  });
});
