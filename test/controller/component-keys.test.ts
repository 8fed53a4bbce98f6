/**
 * The table of component keys stays complete and true: every service key of
 * the Compose schema is listed, every "mapped" key really reaches the create
 * body, every "unsupported" key is warned about, and the README's list is the
 * table's. UPDATE_GOLDEN=1 rewrites the README section from the table.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { COMPONENT_KEYS } from "../../src/controller/component-keys.js";
import { componentCreateBody, type PodContext } from "../../src/controller/container-spec.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

function schemaServiceKeys(): string[] {
  const schema = JSON.parse(readFileSync(`${root}schemas/compose.schema.json`, "utf8"));
  const definitions = schema.definitions ?? schema.$defs;
  const properties = definitions?.service?.properties;
  assert.ok(properties, "schemas/compose.schema.json has no definitions.service.properties");
  return Object.keys(properties);
}

const POD: PodContext = {
  controllerId: "c0ffee",
  controllerName: "stack_web.1.abc",
  pidMode: "container:sandbox",
  volumeNames: {},
  labels: { "podlike.controller": "c0ffee" },
};

/** A value for each mapped key that must change the create body (the baseline is { image: "app:1" }). */
const SAMPLES: Record<string, unknown> = {
  annotations: { "com.example.owner": "web" },
  blkio_config: { weight: 300 },
  cap_add: ["NET_ADMIN"],
  cap_drop: ["MKNOD"],
  cgroup: "private",
  command: "serve --port 80",
  cpu_count: 2,
  cpu_percent: 50,
  cpu_period: 100000,
  cpu_quota: 50000,
  cpu_rt_period: "1s",
  cpu_rt_runtime: 950,
  cpu_shares: 512,
  cpus: 0.5,
  cpuset: "0",
  deploy: { resources: { limits: { memory: "64m" } } },
  device_cgroup_rules: ["c 1:3 mr"],
  devices: ["/dev/fuse"],
  entrypoint: ["/init"],
  environment: { MODE: "production" },
  gpus: "all",
  group_add: ["audio"],
  healthcheck: { test: "true" },
  image: "app:2",
  init: true,
  isolation: "default",
  labels: { team: "web" },
  logging: { driver: "json-file", options: { "max-size": "1m" } },
  mem_limit: "128m",
  mem_reservation: "64m",
  mem_swappiness: 10,
  memswap_limit: "256m",
  oom_kill_disable: true,
  oom_score_adj: 100,
  pids_limit: 64,
  privileged: true,
  read_only: true,
  runtime: "runc",
  security_opt: ["no-new-privileges:true"],
  shm_size: "64m",
  stdin_open: true,
  stop_grace_period: "20s",
  stop_signal: "SIGINT",
  storage_opt: { size: "1G" },
  sysctls: { "net.core.somaxconn": 1024 },
  tmpfs: "/run",
  tty: true,
  ulimits: { nofile: 1024 },
  user: "1000:1000",
  userns_mode: "host",
  uts: "host",
  volumes: ["data:/data"],
  volumes_from: ["service:other"],
  working_dir: "/srv",
};

/** A value for each unsupported key that the definition may carry. */
const UNSUPPORTED_SAMPLES: Record<string, unknown> = {
  build: ".",
  credential_spec: { file: "spec.json" },
  develop: { watch: [] },
  env_file: ".env",
  extends: { service: "base" },
  extra_hosts: ["db:10.0.0.2"],
  label_file: "labels.env",
  models: ["llm"],
  provider: { type: "model" },
  post_start: [{ command: "true" }],
  pre_stop: [{ command: "true" }],
  profiles: ["debug"],
  use_api_socket: true,
};

const keysWith = (status: string) => Object.keys(COMPONENT_KEYS).filter((key) => COMPONENT_KEYS[key]!.status === status).sort();

describe("component keys table", () => {
  test("lists every service key of the Compose schema", () => {
    const missing = schemaServiceKeys().filter((key) => !(key in COMPONENT_KEYS));
    assert.deepEqual(missing, [], `add these keys to src/controller/component-keys.ts: ${missing.join(", ")}`);
  });

  test("lists no key the schema does not know", () => {
    const known = new Set(schemaServiceKeys());
    assert.deepEqual(Object.keys(COMPONENT_KEYS).filter((key) => !known.has(key)), []);
  });

  test("gives a reason for every key it does not map", () => {
    for (const key of [...keysWith("unsupported"), ...keysWith("runtime")]) {
      assert.ok(COMPONENT_KEYS[key]!.reason, `${key} needs a reason`);
    }
  });

  test("every mapped key changes the create body", () => {
    const baseline = componentCreateBody("app", { image: "app:1" }, POD).body;
    const withoutSample = keysWith("mapped").filter((key) => !(key in SAMPLES));
    assert.deepEqual(withoutSample, [], "add a sample value for each mapped key");
    for (const key of keysWith("mapped")) {
      const service = { image: "app:1", [key]: SAMPLES[key] };
      const { body } = componentCreateBody("app", service, POD);
      assert.notDeepEqual(body, baseline, `${key}: ${JSON.stringify(SAMPLES[key])} did not reach the create body`);
    }
  });

  test("every unsupported key leaves the body alone and is warned about by name", () => {
    const baseline = componentCreateBody("app", { image: "app:1" }, POD).body;
    for (const key of keysWith("unsupported")) {
      const value = key in UNSUPPORTED_SAMPLES ? UNSUPPORTED_SAMPLES[key] : "x";
      const { body, warnings } = componentCreateBody("app", { image: "app:1", [key]: value }, POD);
      assert.deepEqual(body, baseline, `${key} changed the create body`);
      assert.equal(warnings.length, 1, `${key}: ${JSON.stringify(warnings)}`);
      assert.match(warnings[0]!, new RegExp(`${key} is ignored: `));
    }
  });
});

// ------------------------------------------------------------ README section

const START = "<!-- component-keys:start -->";
const END = "<!-- component-keys:end -->";

function renderReadmeSection(): string {
  const rows = keysWith("unsupported").map((key) => `| \`${key}\` | ${COMPONENT_KEYS[key]!.reason!.replace(/\|/g, "\\|").replace(/</g, "&lt;")} |`);
  return [
    START,
    "## Compose keys a pod component ignores",
    "",
    "The controller creates each component's container from its Compose service",
    "definition. Every service key is used, except these: the controller ignores",
    "them with a warning. Generated from `src/controller/component-keys.ts`",
    "(`UPDATE_GOLDEN=1 node scripts/test.mjs component-keys`).",
    "",
    "| key | why |",
    "|---|---|",
    ...rows,
    END,
  ].join("\n");
}

describe("README list of unsupported component keys", () => {
  test("is the table's unsupported keys with their reasons", () => {
    const path = `${root}README.md`;
    const readme = readFileSync(path, "utf8");
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    assert.ok(start >= 0 && end > start, `README.md needs a section between ${START} and ${END}`);
    const current = readme.slice(start, end + END.length);
    const expected = renderReadmeSection();
    if (process.env.UPDATE_GOLDEN === "1" && current !== expected) {
      writeFileSync(path, readme.slice(0, start) + expected + readme.slice(end + END.length));
      return;
    }
    assert.equal(current, expected, "run UPDATE_GOLDEN=1 node scripts/test.mjs component-keys");
  });
});
