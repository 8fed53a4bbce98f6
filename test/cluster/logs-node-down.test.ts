/**
 * `podlike logs` (without -f) while a node holding one of the pod's tasks is cut off: the
 * service logs endpoint waits for that node for ever, so podlike ends with what the other
 * nodes sent, within a bounded time, and names the node it did not hear from.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { clusterOptions, deployCompose, dockerOn, fault, figure, hostname, MANAGER, podlike, removeStack, runningComponents, testName, waitFor } from "./lab.js";

const DOWN = 3;

const compose = [
  "services:",
  "  ticker:",
  "    image: podlike-test/busybox:latest",
  `    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do echo tick; sleep 1; done"]`,
  "x-pods:",
  "  web:",
  "    components: [ticker]",
  "    controller: {logs: true}",
  "    deploy:",
  "      replicas: 2",
  "      restart_policy: {delay: 0s}",
  "      placement: {constraints: [node.role==worker], max_replicas_per_node: 1}",
  "",
].join("\n");

describe("cluster: podlike logs with a node down", clusterOptions(), () => {
  const stack = testName("logsdown");
  let dir: string | undefined;
  after(async () => removeStack(stack, dir));

  test("ends with the other nodes' lines and a warning naming the node, without -f", async () => {
    dir = deployCompose(stack, compose);
    await waitFor("the pod on both workers", () => runningComponents(stack).get(2) === 1 && runningComponents(stack).get(DOWN) === 1, 90_000);
    await waitFor("a line from the pods", () => podlike(["logs", stack]).stdout.includes("ticker | tick"), 30_000, 1000);
    fault(DOWN, "cut");
    await waitFor(`${hostname(DOWN)} down for the manager`, () => dockerOn(MANAGER, ["node", "inspect", "--format", "{{.Status.State}}", hostname(DOWN)]) === "down", 60_000, 500);
    const started = Date.now();
    const result = podlike(["logs", stack]);
    const seconds = (Date.now() - started) / 1000;
    figure("podlike logs with a node down: seconds until it ends", seconds.toFixed(1));
    assert.equal(result.status, 0);
    assert.match(result.stdout, /ticker \| tick/);
    assert.match(result.stderr, new RegExp(`warning: pod web: no output from node ${hostname(DOWN)} \\(down\\)`));
    assert.ok(seconds < 30, `podlike logs took ${seconds} s`);
  });
});
