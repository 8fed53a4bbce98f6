/**
 * podlike logs against the real Swarm: a pod of two components whose
 * controller runs with --logs, a pod without it, and a plain service.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";
import { CONTROLLER_IMAGE, ensureControllerImage, waitFor } from "../controller/e2e-support.js";
import { removeStack, runningPod } from "./examples-support.js";
import { runPodlike } from "../support/run-podlike.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
/** The command line from the sources, as a process of its own (for -f, stopped with a signal). */
const CLI = fileURLToPath(new URL("../support/podlike-cli.ts", import.meta.url));

const podlike = (args: string[]) => runPodlike(args, { cwd: root });

const compose = `
services:
  alpha:
    image: ${BUSYBOX}
    command: ["sh", "-c", "i=0; while true; do i=$$((i+1)); echo \\"alpha line $$i\\"; sleep 1; done"]
  beta:
    image: ${BUSYBOX}
    command: ["sh", "-c", "echo beta ready; echo beta warning >&2; while true; do sleep 1; done"]
  q:
    image: ${BUSYBOX}
    command: ["sh", "-c", "echo not passed on; while true; do sleep 1; done"]
  m:
    image: ${BUSYBOX}
    command: ["sh", "-c", "echo muted; while true; do sleep 1; done"]
  plain:
    image: ${BUSYBOX}
    init: true
    command: ["sleep", "3600"]
x-pods:
  talk:
    components: [alpha, beta]
    controller: {logs: true}
  quiet:
    components: [q]
  muted:
    components: [m]
    controller: {logs: true}
`;

const lines = (text: string) => text.split("\n").filter(Boolean);

describe("podlike logs", e2eOptions(), () => {
  const stack = testName("logs");
  const dir = mkdtempSync(join(tmpdir(), "podliketest-logs-"));

  before(async () => {
    ensureControllerImage();
    writeFileSync(join(dir, "compose.yml"), compose);
    const deployed = await podlike(["deploy", "--detach", "--controller-image", CONTROLLER_IMAGE, "-c", join(dir, "compose.yml"), stack]);
    assert.equal(deployed.code, 0, deployed.stderr);
    await runningPod(`${stack}_talk`, ["alpha", "beta"]);
    for (let i = 0; !/alpha line 3/.test((await podlike(["logs", stack, "talk"])).stdout); i++) {
      if (i > 60) throw new Error("alpha's third line never reached podlike logs");
      await new Promise((r) => setTimeout(r, 1000));
    }
  });
  after(async () => {
    await removeStack(stack);
    rmSync(dir, { recursive: true, force: true });
  });

  test("a pod's components' output in `name | line` form, stdout and stderr apart, without the controller's own messages", async () => {
    const { code, stdout, stderr } = await podlike(["logs", stack, "talk"]);
    assert.equal(code, 0, stderr);
    assert.ok(lines(stdout).includes("beta | beta ready"), stdout);
    assert.ok(lines(stdout).includes("alpha | alpha line 1"), stdout);
    assert.ok(lines(stderr).includes("beta | beta warning"), stderr);
    assert.ok(lines(stdout).every((l) => /^(alpha|beta) \| /.test(l)), stdout);
  });

  test("-c picks one component; --tail keeps its last lines; --timestamps shows the engine's time", async () => {
    const { code, stdout } = await podlike(["logs", stack, "talk", "-c", "alpha", "--tail", "2", "--timestamps"]);
    assert.equal(code, 0);
    const got = lines(stdout);
    assert.equal(got.length, 2, stdout);
    const numbers = got.map((l) => {
      const m = /^\d{4}-\d\d-\d\dT[\d:.]+Z alpha \| alpha line (\d+)$/.exec(l);
      assert.ok(m, l);
      return Number(m[1]);
    });
    assert.equal(numbers[1], numbers[0]! + 1);
    assert.ok(numbers[0]! >= 2);
  });

  test("-f keeps printing new lines", async () => {
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), CLI, "logs", "-f", stack, "talk", "-c", "alpha", "--tail", "1"], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    try {
      const seen = await waitFor("two lines from -f", () => {
        const numbers = lines(out).map((l) => Number(/alpha line (\d+)$/.exec(l)?.[1]));
        return numbers.length >= 3 ? numbers : undefined;
      }, 30_000, 200);
      assert.ok(seen.every((n, i) => i === 0 || n === seen[i - 1]! + 1), out);
    } finally {
      child.kill("SIGINT");
    }
  });

  test("every pod of the stack without a pod name: the pod in front of each line, pods without --logs left out with a warning", async () => {
    const { code, stdout, stderr } = await podlike(["logs", stack]);
    assert.equal(code, 0, stderr);
    assert.ok(lines(stdout).includes("talk/beta | beta ready"), stdout);
    assert.match(stderr, /pod quiet runs without --logs.*left out/);
    assert.doesNotMatch(stdout, /not passed on/);
  });

  test("a pod without --logs, a plain service, a logging driver that cannot be read back, an unknown component: exit 1 with the fix", async () => {
    const quiet = await podlike(["logs", stack, "quiet"]);
    assert.equal(quiet.code, 1);
    assert.match(quiet.stderr, /pod quiet runs without --logs/);
    assert.match(quiet.stderr, /x-pods\.quiet\.controller\.logs: true/);
    const plain = await podlike(["logs", stack, "plain"]);
    assert.equal(plain.code, 1);
    assert.match(plain.stderr, /is a plain service, not a pod/);
    // a logging driver the engine cannot read back, set on the pod's service as an operator would
    docker(["service", "update", "--detach", "--log-driver", "none", `${stack}_muted`]);
    const muted = await podlike(["logs", stack, "muted"]);
    assert.equal(muted.code, 1);
    assert.match(muted.stderr, /pod muted logs with the "none" logging driver, which the engine cannot read back/);
    assert.match(muted.stderr, /json-file, local or journald/);
    const unknown = await podlike(["logs", stack, "talk", "-c", "gamma"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /pod talk has no component gamma\n.*alpha, beta/);
  });
});
