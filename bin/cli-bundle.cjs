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

/** The CLI bundle's exports ({ main }) and the code cache it was compiled with. */
function loadCli() {
  require("node:v8").setFlagsFromString(CLI_V8_FLAGS.join(" "));
  const codeCache = createCodeCache(bundleDir, CLI_V8_FLAGS);
  codeCache.coverRequiresUnder(join(root, "schemas"));
  const cli = codeCache.runFile(join(bundleDir, "main.cjs"), { exports: {} });
  return { cli, codeCache };
}

module.exports = { loadCli };
