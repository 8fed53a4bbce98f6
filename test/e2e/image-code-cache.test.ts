import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { docker, e2eOptions, testName } from "../support/engine.js";
import { CONTROLLER_IMAGE, ensureControllerImage } from "../controller/e2e-support.js";
import { folderWith } from "../support/folders.js";

/**
 * The controller image carries V8 code caches that its own node accepts with
 * the flags it runs with: the entrypoint's --lite-mode for the controller
 * bundle, bin/podlike's own for the CLI bundle (the node health check's).
 */
const CONTROLLER_DRIVER = `
const { createCodeCache } = require("/app/bin/code-cache.cjs");
const codeCache = createCodeCache("/app/dist/bundle");
codeCache.runFile("/app/dist/bundle/controller.cjs", { exports: {} });
process.stdout.write(JSON.stringify(codeCache.stats));
`;
// as bin/podlike loads the CLI for every command but the controller
const CLI_DRIVER = `
const { codeCache } = require("/app/bin/cli-bundle.cjs").loadCli();
process.stdout.write(JSON.stringify(codeCache.stats));
`;

describe("code caches in the controller image", e2eOptions(), () => {
  const names: string[] = [];
  after(() => {
    for (const name of names) docker(["rm", "-f", name], { allowFail: true });
  });

  /** Compiles a bundle of the image in a container of it, with node's flags as given. */
  function compileInImage(flags: string[], driver: string): { fromCache: number; compiled: number } {
    const dir = folderWith({ "driver.cjs": driver });
    const name = testName("code-cache");
    names.push(name);
    const out = docker(["run", "--rm", "--name", name, "-v", `${dir}:/check:ro`, "--entrypoint", "node", CONTROLLER_IMAGE, ...flags, "/check/driver.cjs"]);
    return JSON.parse(out);
  }

  it("the controller bundle compiles from its cache under the entrypoint's --lite-mode", () => {
    ensureControllerImage();
    const entrypoint = JSON.parse(docker(["image", "inspect", CONTROLLER_IMAGE, "--format", "{{json .Config.Entrypoint}}"])) as string[];
    const flags = entrypoint.slice(1, entrypoint.indexOf("/app/bin/podlike"));
    assert.deepEqual(flags, ["--lite-mode"]);
    assert.deepEqual(compileInImage(flags, CONTROLLER_DRIVER), { fromCache: 1, compiled: 0 });
  });

  it("the CLI bundle compiles from its cache as bin/podlike loads it (the node health check)", () => {
    ensureControllerImage();
    assert.deepEqual(compileInImage([], CLI_DRIVER), { fromCache: 1, compiled: 0 });
  });
});
