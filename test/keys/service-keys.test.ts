/**
 * The one table of Compose service keys holds its columns together: every
 * key of the Compose schema has a row, the columns do not contradict each
 * other, and convert, lint, deploy and the controller each do what their
 * column says.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { FORMAT_VERSIONS, SERVICE_KEYS, keysWhere } from "../../src/keys/service-keys.js";
import { emitStack } from "../../src/stack/emit.js";
import { POD_UNSUPPORTED_KEYS } from "../../src/lint/pod-keys.js";
import { COMPONENT_KEYS } from "../../src/controller/component-keys.js";
import { SERVICE_KEYS as DEPLOY_SERVICE_KEYS } from "../../src/deploy/service-keys.js";
import { SWARM_SERVICE_KEYS } from "../../src/stack/swarm-schema.js";
import type { ComposeModel } from "../../src/compose/model.js";

const schema = JSON.parse(readFileSync(new URL("../../schemas/compose.schema.json", import.meta.url), "utf8"));
const schemaKeys: string[] = Object.keys(schema.definitions.service.properties).sort();

/** A value of the right shape for keys convert reads; "x" does for the rest. */
const SAMPLES: Record<string, unknown> = {
  annotations: { a: "b" }, blkio_config: { weight: 300 }, cap_add: ["NET_ADMIN"], cap_drop: ["MKNOD"], command: ["run"],
  configs: [], credential_spec: { file: "spec.json" }, deploy: { resources: { limits: { memory: "64m" } } }, devices: ["/dev/fuse"],
  dns: ["1.1.1.1"], dns_opt: ["ndots:1"], dns_search: ["example.org"], entrypoint: ["/init"], environment: { A: "1" }, expose: ["80"],
  external_links: ["x"], extra_hosts: ["h:10.0.0.1"], group_add: ["audio"], healthcheck: { test: "true" }, labels: { a: "b" },
  links: ["x"], logging: { driver: "json-file" }, networks: ["default"], ports: ["80"], profiles: [], secrets: [], security_opt: ["x"],
  sysctls: { "net.core.somaxconn": "1" }, tmpfs: ["/run"], ulimits: { nofile: 1 }, volumes: ["data:/data"], scale: 1,
};
/** Resolved by the loader before convert sees the file, or consumed by pod wiring: not carried as such. */
const NOT_CARRIED = new Set(["env_file", "extends", "depends_on"]);

const model = (raw: Record<string, unknown>): ComposeModel => ({ raw, files: ["/p/compose.yml"], projectDir: "/p", variables: {} });
const sample = (key: string) => (key in SAMPLES ? SAMPLES[key] : "x");

describe("the table of service keys", () => {
  test("has one row for every service key of the Compose schema, and no other", () => {
    assert.equal(schemaKeys.length > 80, true);
    assert.deepEqual(Object.keys(SERVICE_KEYS).sort(), schemaKeys);
    assert.equal(SERVICE_KEYS["constructor"], undefined, "no row is looked up through the prototype chain");
  });

  test("a key the controller maps or honours reaches the component (or the pod's service); one it ignores is never in the label", () => {
    const contradictions = schemaKeys.filter((key) => {
      const row = SERVICE_KEYS[key]!;
      const used = row.container.kind !== "ignored";
      if (row.podMember.kind === "component") return !used;
      return used && row.podMember.kind !== "pod";
    });
    assert.deepEqual(contradictions, []);
    for (const key of ["uts", "cgroup", "group_add"]) assert.equal(SERVICE_KEYS[key]!.podMember.kind, "component", key);
  });

  test("a key deploy maps is never dropped silently from a plain service of the stack file", () => {
    assert.deepEqual(keysWhere((row) => row.serviceSpec.kind === "mapped" && row.stackFile.kind === "development"), []);
  });

  test("every list derived from it agrees with it", () => {
    assert.deepEqual(Object.keys(POD_UNSUPPORTED_KEYS).sort(), keysWhere((r) => r.podMember.kind === "dropped"));
    assert.deepEqual(Object.keys(COMPONENT_KEYS).sort(), schemaKeys);
    assert.deepEqual(keysWhere((r) => r.serviceSpec.kind === "mapped"), Object.keys(DEPLOY_SERVICE_KEYS).filter((k) => DEPLOY_SERVICE_KEYS[k]!.kind === "mapped").sort());
    assert.deepEqual([...SWARM_SERVICE_KEYS.keys()].sort(), keysWhere((r) => r.stackFile.kind === "format"));
    for (const [key, since] of SWARM_SERVICE_KEYS) assert.ok(FORMAT_VERSIONS.includes(since), key);
  });

  test("convert keeps in a pod member's component label exactly the keys whose podMember column says component", () => {
    const wrong: string[] = [];
    for (const key of schemaKeys) {
      if (NOT_CARRIED.has(key) || key === "image") continue;
      const raw = { services: { app: { image: "app:1", [key]: sample(key) } }, "x-pods": { pod: { components: ["app"] } } };
      const { value } = emitStack(model(raw));
      const label = (value.services.pod?.labels as Record<string, string> | undefined)?.["pod.component.app"];
      const kept = label !== undefined && key in (parse(label) as Record<string, unknown>);
      if (kept !== (SERVICE_KEYS[key]!.podMember.kind === "component")) wrong.push(`${key}: ${kept ? "kept" : "dropped"}`);
    }
    assert.deepEqual(wrong, []);
  });

  test("convert keeps in a plain service exactly the keys some stack file format has, and raises the version to the key's", () => {
    const wrong: string[] = [];
    for (const key of schemaKeys) {
      if (NOT_CARRIED.has(key) || key === "image" || key === "build") continue;
      const { value } = emitStack(model({ services: { app: { image: "app:1", [key]: sample(key) } } }));
      const row = SERVICE_KEYS[key]!;
      const kept = key in (value.services.app ?? {});
      if (kept !== (row.stackFile.kind === "format")) wrong.push(`${key}: ${kept ? "kept" : "dropped"}`);
      const version = row.stackFile.kind === "format" ? row.stackFile.since : "3.9";
      if (value.version !== version) wrong.push(`${key}: version ${value.version}, not ${version}`);
    }
    assert.deepEqual(wrong, []);
  });
});
