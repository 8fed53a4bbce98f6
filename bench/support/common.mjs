// What the benchmarks share: where the built CLI is, the median, a timed run
// of a command, and the generated 1000-service project that lint and convert
// both measure.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const bin = join(root, "bin", "podlike");

/** Exits with a message when the CLI has not been built (bin/podlike runs the bundle). */
export function requireBuild() {
  if (!existsSync(join(root, "dist", "bundle", "main.cjs"))) {
    process.stderr.write("dist/ is missing: run npm run build first\n");
    process.exit(1);
  }
}

/**
 * The older checkout that BENCH_BASELINE_CHECKOUT names (built), timed in the
 * same rounds for before/after figures: its folder and its bin/podlike, or
 * undefined when none is named. Exits when it has no bin/podlike.
 */
export function baselineCheckout() {
  const dir = process.env.BENCH_BASELINE_CHECKOUT;
  if (!dir) return undefined;
  const podlike = join(dir, "bin", "podlike");
  if (!existsSync(podlike)) {
    process.stderr.write(`BENCH_BASELINE_CHECKOUT=${dir} has no bin/podlike\n`);
    process.exit(2);
  }
  return { dir, bin: podlike };
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// bash's time reports the child's own wall time and, from getrusage, its CPU
// time (user plus system); node's spawnSync reports no CPU time.
const TIMED = 'TIMEFORMAT="%3R %3U %3S"; { time "$@" 2>&3; } 3>&2 2>"$TIMES"';
const timesFile = join(tmpdir(), `podlike-bench-times-${process.pid}`);

/** Runs a command to its end, with NO_COLOR: its wall and CPU time in seconds, and its output. Throws when it fails. */
export function timedRun(command, args, { cwd, env = process.env }) {
  const result = spawnSync("bash", ["-c", TIMED, "timed", command, ...args], { cwd, encoding: "utf8", env: { ...env, NO_COLOR: "1", TIMES: timesFile }, maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  const [real, user, sys] = readFileSync(timesFile, "utf8").trim().split(/\s+/).map(Number);
  rmSync(timesFile, { force: true });
  return { seconds: real, cpu: user + sys, stdout: result.stdout };
}

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

/**
 * Writes the generated project into `dir`: compose.yml (with x-pods),
 * plain.yml (the same services without pods, for docker stack config) and
 * the config and secret files they name. Returns the two texts.
 */
export function writeLargeProject(dir) {
  const project = generate();
  writeFileSync(join(dir, "compose.yml"), project.withPods);
  writeFileSync(join(dir, "plain.yml"), project.plain);
  writeFileSync(join(dir, "app.conf"), "setting=1\n");
  writeFileSync(join(dir, "tls.key"), "key\n");
  return project;
}
