#!/usr/bin/env node
// Writes the V8 code cache of the CLI bundle at build time, with node and the
// flags that will run it (V8 rejects a cache made with other flags):
//   node scripts/warm-code-cache.cjs [shared]
// The controller has none: it compiles once per pod, and a cache made no
// measurable difference to its start while it held more memory idle.
// A cache holds the functions compiled before it is written, and V8 compiles
// most functions on their first call: the CLI's is written after lint and
// convert ran on the sample pod below in this process, so a command finds
// the reading, checking and converting of Compose files compiled. deploy's
// cache is made from two deploys of the sample to a stand-in engine.
"use strict";
const { tmpdir } = require("node:os");

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

/**
 * A stand-in for a Swarm manager on a unix socket: it keeps what a deploy
 * creates and lists it back, so a second deploy of the same file finds every
 * object unchanged.
 */
async function standInManager(socketPath) {
  const { createServer } = require("node:http");
  const made = { services: [], networks: [], configs: [], secrets: [] };
  let lastId = 0;
  const created = {
    "/services/create": (spec, ID) => (made.services.push({ ID, Version: { Index: 1 }, Spec: spec }), { ID }),
    "/networks/create": (spec, Id) => (made.networks.push({ Id, Name: spec.Name, Labels: spec.Labels }), { Id }),
    "/configs/create": (spec, ID) => (made.configs.push({ ID, Spec: { Name: spec.Name, Labels: spec.Labels } }), { ID }),
    "/secrets/create": (spec, ID) => (made.secrets.push({ ID, Spec: { Name: spec.Name, Labels: spec.Labels } }), { ID }),
  };
  const listed = { "/swarm": () => ({}), "/version": () => ({ ApiVersion: "1.41" }), "/tasks": () => [] };
  for (const kind of Object.keys(made)) listed[`/${kind}`] = () => made[kind];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url.split("?")[0];
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
      const answer = req.method === "GET" ? listed[path]?.() : created[path]?.(body, `warm${++lastId}`);
      res.writeHead(answer === undefined ? 404 : 200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(answer ?? { message: `the warm-up's stand-in engine has no ${req.method} ${path}` }));
    });
  });
  await new Promise((resolve) => server.listen(socketPath, resolve));
  return server;
}

// deploy's own cache (bin/cli-bundle.cjs): the sample deployed twice to a
// stand-in manager, once creating every object and once finding it unchanged.
async function warmDeploy() {
  const { mkdtempSync, rmSync } = require("node:fs");
  const { join } = require("node:path");
  const dir = mkdtempSync(join(tmpdir(), "podlike-warm-"));
  const server = await standInManager(join(dir, "engine.sock"));
  try {
    const { loadCli } = require("../bin/cli-bundle.cjs");
    const { cli, codeCache } = loadCli("deploy");
    const silent = { write() {} };
    const env = { NO_COLOR: "1", DOCKER_HOST: `unix://${join(dir, "engine.sock")}`, TLS_KEY: "warm-up" };
    const io = { stdout: silent, stderr: silent, env, cwd: dir, readStdin: async () => SAMPLE };
    for (let round = 0; round < 2; round++) {
      const code = await cli.main(["deploy", "--detach", "-c", "-", "warm"], io);
      if (code !== 0) throw new Error(`podlike deploy exited ${code} on the sample`);
    }
    codeCache.save();
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Each cache is made in a process of its own, so that it holds only what its
 * commands ran. `shared` makes only the cache every command falls back on:
 * the controller image carries no deploy cache for the deploys nobody runs
 * there (one would run from the shared cache).
 */
async function warm() {
  if (process.argv[2] === "deploy") return warmDeploy();
  await warmCli();
  if (process.argv[2] === "shared") return;
  const { spawnSync } = require("node:child_process");
  const deploy = spawnSync(process.execPath, [...process.execArgv, __filename, "deploy"], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (deploy.status !== 0) throw new Error(`warming deploy's cache: ${deploy.stderr.trim() || `exit ${deploy.status}`}`);
}

warm().catch((error) => {
  process.stderr.write(`warm-code-cache: ${error.message}\n`);
  process.exitCode = 1;
});
