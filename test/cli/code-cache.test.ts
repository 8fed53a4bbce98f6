import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { folderWith } from "../support/folders.js";

/**
 * bin/code-cache.cjs, as bin/podlike uses it: each run is a fresh node
 * process that compiles a bundle with the cache folder, runs it, and saves.
 */
const CODE_CACHE = fileURLToPath(new URL("../../bin/code-cache.cjs", import.meta.url));

const DRIVER = `
const { createCodeCache } = require(${JSON.stringify(CODE_CACHE)});
const [bundle, cacheDir, variant] = process.argv.slice(2);
const codeCache = createCodeCache(cacheDir, [], variant);
const exported = codeCache.runFile(bundle, { exports: {} });
codeCache.save();
process.stdout.write(JSON.stringify({ answer: exported.answer(), ...codeCache.stats }));
`;

function bundleText(answer: number): string {
  // big enough that V8 has functions to cache beyond the top level
  const helpers = Array.from({ length: 50 }, (_, i) => `function helper${i}(x) { return x + ${i}; }`).join("\n");
  return `${helpers}\nexports.answer = function () { return ${answer}; };\n`;
}

function project(answer = 1111): { dir: string; bundle: string; cacheDir: string } {
  const dir = folderWith({ "driver.cjs": DRIVER, "bundle.cjs": bundleText(answer), "cache/.keep": "" });
  return { dir, bundle: join(dir, "bundle.cjs"), cacheDir: join(dir, "cache") };
}

function run(p: { dir: string; bundle: string; cacheDir: string }, flags: string[] = [], variant = ""): { answer: number; fromCache: number; compiled: number } {
  const result = spawnSync(process.execPath, [...flags, join(p.dir, "driver.cjs"), p.bundle, p.cacheDir, variant], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

const caches = (cacheDir: string) => readdirSync(cacheDir).filter((f) => f !== ".keep");

describe("V8 code cache of the bundles", () => {
  it("compiles the second run from the cache the first one wrote", () => {
    const p = project();
    assert.deepEqual(run(p), { answer: 1111, fromCache: 0, compiled: 1 });
    assert.deepEqual(run(p), { answer: 1111, fromCache: 1, compiled: 0 });
  });

  it("runs a rebuilt bundle of the same length from its new source, not from the stale cache", () => {
    const p = project(1111);
    run(p);
    // V8 itself checks only the source's length: this cache would be accepted and return 1111
    writeFileSync(p.bundle, bundleText(2222));
    const later = new Date(Date.now() + 5_000);
    utimesSync(p.bundle, later, later);
    assert.deepEqual(run(p), { answer: 2222, fromCache: 0, compiled: 1 });
    assert.deepEqual(run(p), { answer: 2222, fromCache: 1, compiled: 0 }, "the cache of the new bundle replaced the stale one");
  });

  it("runs without a damaged cache and writes a good one", () => {
    const p = project();
    run(p);
    const [cacheFile] = caches(p.cacheDir);
    const path = join(p.cacheDir, cacheFile!);
    const header = spawnSync("head", ["-n", "1", path], { encoding: "utf8" }).stdout;
    writeFileSync(path, header + "not a V8 code cache at all");
    assert.deepEqual(run(p), { answer: 1111, fromCache: 0, compiled: 1 });
    assert.deepEqual(run(p), { answer: 1111, fromCache: 1, compiled: 0 });
  });

  it("keeps one cache per set of node flags, so runs with other flags do not overwrite each other's", () => {
    const p = project();
    run(p);
    run(p, ["--lite-mode"]);
    assert.equal(caches(p.cacheDir).length, 2);
    assert.deepEqual(run(p), { answer: 1111, fromCache: 1, compiled: 0 });
    assert.deepEqual(run(p, ["--lite-mode"]), { answer: 1111, fromCache: 1, compiled: 0 });
  });

  it("gives a command with a cache of its own the shared one until its own is written, and leaves the shared one as it was", () => {
    const p = project();
    run(p);
    const shared = caches(p.cacheDir);
    const sharedStamp = statSync(join(p.cacheDir, shared[0]!)).mtimeMs;
    assert.deepEqual(run(p, [], "deploy"), { answer: 1111, fromCache: 1, compiled: 0 });
    const own = caches(p.cacheDir).filter((f) => !shared.includes(f));
    assert.equal(own.length, 1, "the command's own cache was written");
    assert.match(own[0]!, /\.deploy\./);
    const ownStamp = statSync(join(p.cacheDir, own[0]!)).mtimeMs;
    assert.deepEqual(run(p, [], "deploy"), { answer: 1111, fromCache: 1, compiled: 0 });
    assert.equal(statSync(join(p.cacheDir, own[0]!)).mtimeMs, ownStamp, "its own cache served and was not rewritten");
    assert.equal(statSync(join(p.cacheDir, shared[0]!)).mtimeMs, sharedStamp);
  });

  it("runs from a folder it cannot write, leaving nothing behind", () => {
    const p = project();
    // a file where the cache folder should be: no write can succeed, whoever runs the test
    const notAFolder = join(p.dir, "not-a-folder");
    writeFileSync(notAFolder, "");
    const readOnly = { ...p, cacheDir: notAFolder };
    assert.deepEqual(run(readOnly), { answer: 1111, fromCache: 0, compiled: 1 });
    assert.deepEqual(run(readOnly), { answer: 1111, fromCache: 0, compiled: 1 });
    assert.deepEqual(readdirSync(p.dir).sort(), ["bundle.cjs", "cache", "driver.cjs", "not-a-folder"]);
  });
});

describe("the build's code caches", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const bundleDir = join(root, "dist", "bundle");
  const listing = () => readdirSync(bundleDir).filter((f) => f.endsWith(".cache")).map((f) => `${f} ${statSync(join(bundleDir, f)).mtimeMs}`).sort();

  it("are the ones bin/podlike compiles from: a command neither adds nor rewrites one", { skip: existsSync(join(bundleDir, "main.cjs")) ? undefined : "not built" }, () => {
    const before = listing();
    assert.ok(before.some((f) => f.startsWith("main.cjs.")), "the build wrote a cache of the CLI bundle");
    // a small lint runs with V8 flags of its own, from lint.cjs, and hands its rarer forms to main.cjs
    for (const args of [["convert"], ["lint"], ["lint", "--max-warnings", "0"]]) {
      const run = spawnSync(process.execPath, [join(root, "bin", "podlike"), ...args, join(root, "fixtures", "lint", "pod-example", "compose.yml")], { encoding: "utf8" });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(listing(), before, `podlike ${args.join(" ")}`);
    }
  });

  it("include deploy's own: a deploy neither adds nor rewrites one", { skip: existsSync(join(bundleDir, "main.cjs")) ? undefined : "not built" }, () => {
    const before = listing();
    assert.ok(before.some((f) => f.startsWith("main.cjs.deploy.")), "the build wrote deploy's cache of the CLI bundle");
    const dir = folderWith({ "compose.yml": "services:\n  web:\n    image: busybox\n" });
    // no engine answers there: the deploy runs its code up to the first request and fails
    const env = { ...process.env, DOCKER_HOST: `unix://${join(dir, "no-engine.sock")}` };
    const run = spawnSync(process.execPath, [join(root, "bin", "podlike"), "deploy", "-c", "compose.yml", "st"], { cwd: dir, env, encoding: "utf8" });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /no-engine\.sock/);
    assert.deepEqual(listing(), before);
  });
});
