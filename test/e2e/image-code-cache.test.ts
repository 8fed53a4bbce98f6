import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { DOCKER, docker, e2eOptions, testName } from "../support/engine.js";
import { CONTROLLER_IMAGE, ensureControllerImage } from "../controller/e2e-support.js";
import { folderWith } from "../support/folders.js";

/**
 * The controller image's node: the CLI bundle compiles from the V8 code cache
 * the image was built with, and the entrypoint starts node as it comes, without
 * a word of its own in the controller's log.
 */
// as bin/podlike loads the CLI for every command but the controller
const CLI_DRIVER = `
const { codeCache } = require("/app/bin/cli-bundle.cjs").loadCli(["healthcheck"]);
process.stdout.write(JSON.stringify(codeCache.stats));
`;

describe("the controller image's node", e2eOptions(), () => {
  const names: string[] = [];
  after(() => {
    for (const name of names) docker(["rm", "-f", name], { allowFail: true });
  });

  /** Runs `script` with the image's node and the given flags; its stdout and stderr. */
  function nodeInImage(flags: string[], script: string): { stdout: string; stderr: string } {
    const dir = folderWith({ "driver.cjs": script });
    const name = testName("image-node");
    names.push(name);
    const run = spawnSync(DOCKER, ["run", "--rm", "--name", name, "-v", `${dir}:/check:ro`, "--entrypoint", "node", CONTROLLER_IMAGE, ...flags, "/check/driver.cjs"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    return { stdout: run.stdout, stderr: run.stderr };
  }

  it("the CLI bundle compiles from its cache as bin/podlike loads it (the node health check)", () => {
    ensureControllerImage();
    assert.deepEqual(JSON.parse(nodeInImage([], CLI_DRIVER).stdout), { fromCache: 1, compiled: 0 });
  });

  it("the entrypoint gives node no V8 flags, and its start says nothing", () => {
    ensureControllerImage();
    const entrypoint = JSON.parse(docker(["image", "inspect", CONTROLLER_IMAGE, "--format", "{{json .Config.Entrypoint}}"])) as string[];
    // node's own modules (http, net) come with a code cache V8 takes only under its default flags:
    // with any flag each controller compiles them from source, 20 ms of its pod's start
    assert.deepEqual(entrypoint, ["node", "/app/bin/podlike", "controller"]);
    assert.equal(nodeInImage([], "").stderr, "");
  });
});
