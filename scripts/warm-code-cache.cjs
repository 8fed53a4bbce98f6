#!/usr/bin/env node
// Writes the V8 code caches of the CLI bundle at build time, with node and the
// flags that will run them (V8 rejects a cache made with other flags):
//   node scripts/warm-code-cache.cjs
// Commands that run with other V8 flags (bin/cli-bundle.cjs) have caches of
// their own, each warmed in a process of its own by the commands below.
// The controller has none: it compiles once per pod, and a cache made no
// measurable difference to its start while it held more memory idle.
// A cache holds the functions compiled before it is written, and V8 compiles
// most functions on their first call: the CLI's is written after lint and
// convert ran on the sample pod below in this process, so a command finds
// the reading, checking and converting of Compose files compiled.
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

// A pod member with a hostname: a warning. The sample is clean, and a clean
// lint prints nothing, so lint's findings are rendered from this one. Its
// block scalar hands it from the direct YAML reader, which reads the sample,
// to the event reader, which reads what the direct one does not: both
// readers are in the caches (test/cli/warm-code-cache.test.ts holds the
// samples to it).
const SAMPLE_WITH_WARNING = `services:
  web:
    image: example/web:1
    hostname: web
    command: |
      serve --port 8080
x-pods:
  app:
    components: [web]
`;

// The commands each flag set's caches are warmed with (bin/cli-bundle.cjs),
// each reading SAMPLE unless it names its input: lint.cjs's with lint's
// common forms, main.cjs's with the forms lint.cjs leaves to it and with
// convert. deploy's deploys the sample twice to a stand-in engine: once
// creating every object, once finding it unchanged.
const DEPLOY = ["deploy", "--detach", "-c", "-", "warm"];
const LINT = [["lint", "-"], ["lint", "--format", "json", "-"], ["lint", "--max-warnings", "0", "-"], { argv: ["lint", "-"], input: SAMPLE_WITH_WARNING }];
const WARM_RUNS = {
  smallLint: LINT,
  commands: [...LINT, ["convert", "-"]],
  deploy: [DEPLOY, DEPLOY],
};

/**
 * A stand-in for a Swarm manager on a unix socket: it keeps what a deploy
 * creates and lists it back, so a second deploy of the same file finds every
 * object unchanged. Its DOCKER_HOST, and close().
 */
async function standInManager() {
  const { createServer } = require("node:http");
  const { mkdtempSync, rmSync } = require("node:fs");
  const { join } = require("node:path");
  const dir = mkdtempSync(join(tmpdir(), "podlike-warm-"));
  const made = { services: [], networks: [], configs: [], secrets: [] };
  let lastId = 0;
  const created = {
    "/services/create": (spec, ID) => (made.services.push({ ID, Version: { Index: 1 }, Spec: spec }), { ID }),
    "/networks/create": (spec, Id) => (made.networks.push({ Id, Name: spec.Name, Labels: spec.Labels }), { Id }),
    "/configs/create": (spec, ID) => (made.configs.push({ ID, Spec: { Name: spec.Name, Labels: spec.Labels } }), { ID }),
    "/secrets/create": (spec, ID) => (made.secrets.push({ ID, Spec: { Name: spec.Name, Labels: spec.Labels } }), { ID }),
  };
  const listed = { "/swarm": () => ({}), "/_ping": () => "OK", "/tasks": () => [] };
  for (const kind of Object.keys(made)) listed[`/${kind}`] = () => made[kind];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url.split("?")[0];
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
      const answer = req.method === "GET" ? listed[path]?.() : created[path]?.(body, `warm${++lastId}`);
      // as the engine does, every reply names its API version
      res.writeHead(answer === undefined ? 404 : 200, { "Content-Type": "application/json", "Api-Version": "1.41" });
      res.end(JSON.stringify(answer ?? { message: `the warm-up's stand-in engine has no ${req.method} ${path}` }));
    });
  });
  const socket = join(dir, "engine.sock");
  await new Promise((resolve) => server.listen(socket, resolve));
  return {
    env: { DOCKER_HOST: `unix://${socket}` },
    close() {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function warmCli(flagSet) {
  const { loadCliWith } = require("../bin/cli-bundle.cjs");
  const { cli, codeCache } = loadCliWith(flagSet);
  const engine = flagSet === "deploy" ? await standInManager() : undefined;
  try {
    const silent = { write() {} };
    // TLS_KEY: the content of the sample's secret
    const env = { NO_COLOR: "1", TLS_KEY: "warm-up", ...engine?.env };
    for (const run of WARM_RUNS[flagSet]) {
      const { argv, input } = Array.isArray(run) ? { argv: run, input: SAMPLE } : run;
      const io = { stdout: silent, stderr: silent, env, cwd: tmpdir(), readStdin: async () => input };
      const code = await cli.main(argv, io);
      if (code !== 0) throw new Error(`podlike ${argv.join(" ")} exited ${code} on the sample`);
    }
    codeCache.save();
  } finally {
    engine?.close();
  }
}

/** One process per cache: V8 flags, once set, hold for the whole process. */
function warmEach() {
  const { spawnSync } = require("node:child_process");
  for (const flagSet of Object.keys(WARM_RUNS)) {
    const run = spawnSync(process.execPath, [__filename, flagSet], { stdio: ["ignore", "inherit", "inherit"] });
    if (run.status !== 0) process.exitCode = 1;
  }
}

/** Warms the caches as the command line asks: every flag set's, or the one named. */
function main(flagSet) {
  if (flagSet === undefined) warmEach();
  else if (!Object.hasOwn(WARM_RUNS, flagSet)) {
    process.stderr.write(`warm-code-cache: no warm-up for ${flagSet}; there are: ${Object.keys(WARM_RUNS).join(", ")}\n`);
    process.exitCode = 2;
  } else {
    warmCli(flagSet).catch((error) => {
      process.stderr.write(`warm-code-cache: ${error.message}\n`);
      process.exitCode = 1;
    });
  }
}

if (require.main === module) main(process.argv[2]);
module.exports = { SAMPLE, SAMPLE_WITH_WARNING };
