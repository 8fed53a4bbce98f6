#!/usr/bin/env node
// Convert throughput, on the built CLI (npm run build first): median wall time
// of `bin/podlike convert` on a generated file of 1000 services, 800 of them
// in 200 pods, and its ratio to `docker stack config` (the Docker CLI's own
// parse, interpolate and normalise of a stack file) on the plain-Compose
// equivalent: the same file without x-pods. Goal: a ratio of 1.0 or less.
// Prints figures only; it never fails on timing.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadavg, tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "podlike");
const STACK_CONFIG_CLI = process.env.DOCKER_STACK_CONFIG_CLI ?? "/usr/local/bin/docker";
if (!existsSync(join(root, "dist", "cli", "main.js"))) {
  process.stderr.write("dist/ is missing: run npm run build first\n");
  process.exit(1);
}

function wall(command, args, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  return { seconds, stdout: result.stdout };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** 200 pods of four members (app, proxy, log shipper, init migration) and 200 services outside pods. */
function generate() {
  let services = "services:\n";
  let pods = "x-pods:\n";
  for (let p = 0; p < 200; p++) {
    services += `  app-${p}:
    image: registry.example.com/app:${p}.0
    environment: {PORT: "8080", POD: "${p}", REGION: "\${REGION:-eu-west-1}"}
    volumes: ["logs-${p}:/var/log/app"]
    healthcheck: {test: ["CMD", "wget", "-qO-", "http://localhost:8080/health"], interval: 10s, retries: 3}
    configs: [{source: app-conf, target: /etc/app/app.conf, mode: 0440}]
  proxy-${p}:
    image: registry.example.com/proxy:1.${p}
    ports: ["${10000 + p}:443"]
    depends_on: [app-${p}]
    secrets: [tls-key]
  logs-${p}:
    image: registry.example.com/shipper:3
    volumes: ["logs-${p}:/var/log/app:ro"]
    deploy: {placement: {constraints: ["node.labels.zone == ${p % 3}"]}}
  migrate-${p}:
    image: registry.example.com/app:${p}.0
    command: ["migrate", "--apply"]
`;
    pods += `  pod-${p}:\n    components: [app-${p}, proxy-${p}, logs-${p}]\n    init: [migrate-${p}]\n    deploy: {replicas: 2}\n`;
  }
  for (let s = 0; s < 200; s++) {
    services += `  svc-${s}:\n    image: registry.example.com/svc:${s}\n    ports: [{target: 80, published: ${20000 + s}}]\n    environment: [MODE=production]\n${s ? `    depends_on: [svc-${s - 1}]\n` : ""}`;
  }
  let volumes = "volumes:\n";
  for (let p = 0; p < 200; p++) volumes += `  logs-${p}:\n`;
  const top = `${volumes}configs:\n  app-conf:\n    file: ./app.conf\nsecrets:\n  tls-key:\n    file: ./tls.key\n`;
  return { withPods: services + top + pods, plain: services + top };
}

/** Where the time goes, in one process: median of each phase. */
async function phases(dir, runs) {
  const { loadProject } = await import(join(root, "dist", "compose", "load.js"));
  const { lintModel } = await import(join(root, "dist", "lint", "rules.js"));
  const { emitStack } = await import(join(root, "dist", "stack", "emit.js"));
  const { writeStack } = await import(join(root, "dist", "stack", "write.js"));
  const times = { load: [], lint: [], emit: [], write: [] };
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    const loaded = await loadProject({ files: ["compose.yml"], cwd: dir, env: {} });
    times.load.push(performance.now() - t);
    t = performance.now();
    lintModel(loaded.value);
    times.lint.push(performance.now() - t);
    t = performance.now();
    const emitted = emitStack(loaded.value);
    times.emit.push(performance.now() - t);
    t = performance.now();
    writeStack(emitted.value);
    times.write.push(performance.now() - t);
  }
  const parts = Object.entries(times).map(([phase, list]) => `${phase} ${median(list).toFixed(0)} ms`);
  console.log(`phases in one process (median): ${parts.join(", ")}`);
}

console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(" ")} (wall times grow with other work on the machine)`);
if (!existsSync(STACK_CONFIG_CLI)) {
  console.log(`${STACK_CONFIG_CLI} is missing: no docker stack config to compare with`);
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), "podlike-bench-convert-"));
try {
  const { withPods, plain } = generate();
  writeFileSync(join(dir, "compose.yml"), withPods);
  writeFileSync(join(dir, "plain.yml"), plain);
  writeFileSync(join(dir, "app.conf"), "setting=1\n");
  writeFileSync(join(dir, "tls.key"), "key\n");
  const runs = Number(process.env.BENCH_RUNS ?? 11);
  const convert = [];
  const stackConfig = [];
  const first = wall(process.execPath, [bin, "convert", "compose.yml"], dir);
  wall(STACK_CONFIG_CLI, ["stack", "config", "-c", "plain.yml"], dir);
  for (let i = 0; i < runs; i++) {
    convert.push(wall(process.execPath, [bin, "convert", "compose.yml"], dir).seconds);
    stackConfig.push(wall(STACK_CONFIG_CLI, ["stack", "config", "-c", "plain.yml"], dir).seconds);
  }
  const c = median(convert);
  const d = median(stackConfig);
  console.log(`input: 1000 services, 200 pods (800 members), ${(withPods.length / 1024).toFixed(0)} KiB; output ${(first.stdout.length / 1024).toFixed(0)} KiB`);
  console.log(`podlike convert:          median ${(c * 1000).toFixed(0)} ms over ${runs} runs`);
  console.log(`docker stack config:      median ${(d * 1000).toFixed(0)} ms over ${runs} runs (same file without x-pods)`);
  console.log(`ratio convert/stack config: ${(c / d).toFixed(2)} (goal: 1.0 or less)`);
  await phases(dir, runs);
} finally {
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true }); else console.log(dir);
}
