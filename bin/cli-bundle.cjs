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
// leaves optimisation to the runs long enough to repay it.
const CLI_V8_FLAGS = ["--interrupt-budget=1000000"];

// lint keeps V8's defaults: setting a flag needs node:v8, whose loading pulls
// in twenty stream modules a small lint otherwise never loads (a tenth of its
// start-up), and lint of 5 MB took 7% more CPU with the flag than without.
const V8_FLAGS_OF = { lint: [] };

/** The V8 flags `command` (the first argument of podlike) runs with. */
function v8FlagsOf(command) {
  return Object.hasOwn(V8_FLAGS_OF, command) ? V8_FLAGS_OF[command] : CLI_V8_FLAGS;
}

/**
 * The CLI bundle's exports ({ main }) and the code cache it was compiled
 * with, for `command`: each set of V8 flags has a cache of its own.
 */
function loadCli(command) {
  const flags = v8FlagsOf(command);
  if (flags.length) require("node:v8").setFlagsFromString(flags.join(" "));
  const codeCache = createCodeCache(bundleDir, flags);
  codeCache.coverRequiresUnder(join(root, "schemas"));
  const cli = codeCache.runFile(join(bundleDir, "main.cjs"), { exports: {} });
  return { cli, codeCache };
}

module.exports = { loadCli, v8FlagsOf };
