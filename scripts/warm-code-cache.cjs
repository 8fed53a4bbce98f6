#!/usr/bin/env node
// Writes the V8 code caches of dist/bundle/ at build time, with node and the
// flags that will run them (V8 rejects a cache made with other flags):
//   node scripts/warm-code-cache.cjs               the CLI bundle, as bin/podlike runs it
//   node --lite-mode scripts/warm-code-cache.cjs controller
//                                                  the controller bundle, as the image's entrypoint runs it
// A cache holds the functions compiled before it is written, and V8 compiles
// most functions on their first call: the CLI's is written after lint and
// convert ran on the sample pod below in this process, so a command finds
// the reading, checking and converting of Compose files compiled. The
// controller cannot run here: its cache holds the bundle's top level.
"use strict";
const { join } = require("node:path");
const { tmpdir } = require("node:os");

const bundleDir = join(__dirname, "..", "dist", "bundle");

// read from standard input, so the warm-up needs no file of the checkout (the release image builds without fixtures/)
const SAMPLE = `services:
  app:
    image: example/app:\${APP_TAG:-1.0}
    environment: {PORT: "8080", MODE: production}
    volumes: ["logs:/var/log/app"]
    healthcheck: {test: ["CMD", "true"], interval: 10s, retries: 3}
    configs: [{source: app-conf, target: /etc/app.conf, mode: 0440}]
  proxy:
    image: example/proxy:2
    ports: ["443:443", {target: 80, published: 8080, mode: host}]
    secrets: [tls-key]
    depends_on: {app: {condition: service_healthy}}
  shipper:
    image: example/shipper:3
    volumes: ["logs:/var/log/app:ro"]
    deploy: {placement: {constraints: ["node.role == worker"]}}
  migrate:
    image: example/app:1.0
    command: ["migrate", "--apply"]
  db:
    image: example/db:16
    environment: [POSTGRES_DB=app]
volumes:
  logs:
configs:
  app-conf:
    content: "listen 8080"
secrets:
  tls-key:
    environment: TLS_KEY
x-pods:
  web:
    components: [app, proxy, shipper]
    init: [migrate]
    deploy: {replicas: 2}
`;

async function warmCli() {
  const { loadCli } = require("../bin/cli-bundle.cjs");
  const { cli, codeCache } = loadCli();
  const silent = { write() {} };
  const io = { stdout: silent, stderr: silent, env: { NO_COLOR: "1" }, cwd: tmpdir(), readStdin: async () => SAMPLE };
  for (const argv of [["lint", "-"], ["lint", "--format", "json", "-"], ["convert", "-"]]) {
    const code = await cli.main(argv, io);
    if (code !== 0) throw new Error(`podlike ${argv.join(" ")} exited ${code} on the sample`);
  }
  codeCache.save();
}

async function warmController() {
  const { createCodeCache } = require("../bin/code-cache.cjs");
  const codeCache = createCodeCache(bundleDir);
  codeCache.runFile(join(bundleDir, "controller.cjs"), { exports: {} });
  codeCache.save();
}

(process.argv[2] === "controller" ? warmController() : warmCli()).catch((error) => {
  process.stderr.write(`warm-code-cache: ${error.message}\n`);
  process.exitCode = 1;
});
