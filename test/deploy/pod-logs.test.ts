import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough, type Readable } from "node:stream";
import { streamPodLogs } from "../../src/deploy/pod-logs.js";
import type { ServiceLogOptions } from "../../src/engine/swarm.js";
import { FakeSwarm } from "../support/fake-swarm.js";

/** One multiplexed stdout frame of a timestamped controller line. */
function frame(line: string): Buffer {
  const body = Buffer.from(`2026-11-29T10:00:00.000000000Z ${line}\n`);
  const header = Buffer.alloc(8);
  header[0] = 1;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

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
  }

  override async serviceLogs(_id: string, options: ServiceLogOptions = {}): Promise<Readable> {
    const body = new PassThrough();
    body.write(frame("app | from pl1"));
    options.signal?.addEventListener("abort", () => body.destroy(options.signal!.reason as Error));
    return body;
  }
}

async function logsOf(swarm: FakeSwarm) {
  const lines: string[] = [];
  const warnings: string[] = [];
  const started = Date.now();
  await streamPodLogs(swarm, { stack: "st", follow: false, historyWaitMs: 200 }, { line: (l) => lines.push(`${l.component} | ${l.text}`), warn: (m) => warnings.push(m) });
  return { lines, warnings, ms: Date.now() - started };
}

describe("podlike logs while a node is down", () => {
  test("without -f it ends with what the other nodes sent and names the node it could not hear from", async () => {
    const { lines, warnings, ms } = await logsOf(new ManagerWaitingForANode("down"));
    assert.deepEqual(lines, ["app | from pl1"]);
    assert.deepEqual(warnings, ["pod web: no output from node pl2 (down) within 0 s; shown: what the other nodes sent"]);
    assert.ok(ms < 5_000, `ended after ${ms} ms`);
  });

  test("a node Swarm still thinks ready (it has just gone): the output that came, and a warning saying the reply was cut short", async () => {
    const { lines, warnings } = await logsOf(new ManagerWaitingForANode("ready"));
    assert.deepEqual(lines, ["app | from pl1"]);
    assert.match(warnings[0] ?? "", /^pod web: the engine had not sent all of its output within 0 s/);
  });
});
