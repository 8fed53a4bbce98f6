// Loads the bundled CLI the way bin/podlike runs it: from dist/bundle/, with
// the V8 code caches of bin/code-cache.cjs for the bundle and the generated
// schema validator it requires. scripts/warm-code-cache.cjs loads it the same
// way, so the caches it writes at build time are the ones a command accepts.
"use strict";
const { join } = require("node:path");
const { createCodeCache } = require("./code-cache.cjs");

const root = join(__dirname, "..");
const bundleDir = join(root, "dist", "bundle");

// A command runs for a fraction of a second, and V8's optimising compiler
// spent more CPU compiling its hot functions than running them optimised
// saved: convert of 1000 services took 0.55 s of CPU with it, 0.34 s
// without. Fifteen times the default budget before a function is optimised
// leaves optimisation to the runs long enough to repay it (lint of 5 MB:
// 7% more CPU than with the default).
const CLI_V8_FLAGS = ["--interrupt-budget=1000000"];

// Commands with a code cache of their own. deploy runs what no other command
// does (the engine client, the plan against the live stack): compiling it
// cost 10 ms of a deploy's CPU with the cache lint and convert warm.
const OWN_CACHE = new Set(["deploy"]);

/**
 * The CLI bundle's exports ({ main }) and the code cache it was compiled
 * with: the one of `command` (the first argument) when it has one.
 */
function loadCli(command) {
  require("node:v8").setFlagsFromString(CLI_V8_FLAGS.join(" "));
  const codeCache = createCodeCache(bundleDir, CLI_V8_FLAGS, OWN_CACHE.has(command) ? command : "");
  codeCache.coverRequiresUnder(join(root, "schemas"));
  const cli = codeCache.runFile(join(bundleDir, "main.cjs"), { exports: {} });
  return { cli, codeCache };
}

module.exports = { loadCli };
