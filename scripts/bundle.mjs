#!/usr/bin/env node
// Bundles the CLI into dist/bundle/ (one chunk per lazily loaded command).
// Start-up is most of a lint run in CI; resolving and compiling some hundred
// small modules costs more than the work itself, so the CLI ships bundled.
// dockerode stays external: it is loaded lazily through require with
// stand-ins for modules it never needs (see src/docker/load-dockerode.ts).
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
rmSync(`${root}/dist/bundle`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: "src/cli/main.ts" },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["dockerode", "docker-modem"],
  // CommonJS packages inside an ES module bundle still call require()
  banner: { js: "import { createRequire as __podlikeRequire } from 'node:module'; const require = __podlikeRequire(import.meta.url);" },
  logLevel: "warning",
  legalComments: "none",
});
