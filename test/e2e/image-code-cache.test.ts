import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { docker, e2eOptions, testName } from "../support/engine.js";
import { CONTROLLER_IMAGE, ensureControllerImage } from "../controller/e2e-support.js";
import { folderWith } from "../support/folders.js";

/**
 * The controller image carries V8 code caches that its own node accepts with
 * the flags it runs with: the entrypoint's --lite-mode for the controller
 * bundle, none for the CLI bundle (the node health check's).
 */
const DRIVER = `
const { createCodeCache } = require("/app/bin/code-cache.cjs");
const codeCache = createCodeCache("/app/dist/bundle");
codeCache.runFile(process.argv[2], { exports: {} });
process.stdout.write(JSON.stringify(codeCache.stats));
`;

describe("code caches in the controller image", e2eOptions(), () => {
  const names: string[] = [];
  after(() => {
    for (const name of names) docker(["rm", "-f", name], { allowFail: true });
  });

  /** Compiles a bundle of the image in a container of it, with node's flags as given. */
  function compileInImage(flags: string[], bundle: string): { fromCache: number; compiled: number } {
    const dir = folderWith({ "driver.cjs": DRIVER });
    const name = testName("code-cache");
    names.push(name);
    const out = docker(["run", "--rm", "--name", name, "-v", `${dir}:/check:ro`, "--entrypoint", "node", CONTROLLER_IMAGE, ...flags, "/check/driver.cjs", bundle]);
    return JSON.parse(out);
  }

  it("the controller bundle compiles from its cache under the entrypoint's --lite-mode", () => {
    ensureControllerImage();
    const entrypoint = JSON.parse(docker(["image", "inspect", CONTROLLER_IMAGE, "--format", "{{json .Config.Entrypoint}}"])) as string[];
    const flags = entrypoint.slice(1, entrypoint.indexOf("/app/bin/podlike"));
    assert.deepEqual(flags, ["--lite-mode"]);
    assert.deepEqual(compileInImage(flags, "/app/dist/bundle/controller.cjs"), { fromCache: 1, compiled: 0 });
  });

  it("the CLI bundle compiles from its cache without flags, as the node health check runs it", () => {
    ensureControllerImage();
    assert.deepEqual(compileInImage([], "/app/dist/bundle/main.cjs"), { fromCache: 1, compiled: 0 });
  });
});
