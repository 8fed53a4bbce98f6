// Loads the bundled CLI the way bin/podlike runs it: from dist/bundle/, with
// the V8 code caches of bin/code-cache.cjs for the bundle and the generated
// schema validator it requires. scripts/warm-code-cache.cjs loads it the same
// way, so the caches it writes at build time are the ones a command accepts.
"use strict";
const { join } = require("node:path");
const { createCodeCache } = require("./code-cache.cjs");

const root = join(__dirname, "..");
const bundleDir = join(root, "dist", "bundle");

/** The CLI bundle's exports ({ main }) and the code cache it was compiled with. */
function loadCli() {
  const codeCache = createCodeCache(bundleDir);
  codeCache.coverRequiresUnder(join(root, "schemas"));
  const cli = codeCache.runFile(join(bundleDir, "main.cjs"), { exports: {} });
  return { cli, codeCache };
}

module.exports = { loadCli };
