import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { convertModel, emitStack } from "../../src/stack/emit.js";
import { modelFromYaml } from "../support/compose-model.js";
import { writeStack } from "../../src/stack/write.js";
import { formatDuration } from "../../src/stack/durations.js";
import { controllerStartPeriod, controllerStopGrace, memberHealthWindow } from "../../src/stack/controller-service.js";
import type { ComposeModel } from "../../src/compose/model.js";
import type { SwarmStack } from "../../src/stack/types.js";

/** A model straight from inline YAML (positions are not needed here). */
function model(yaml: string, variables: Record<string, string> = {}): ComposeModel {
  return { raw: parse(yaml), files: ["/project/compose.yml"], projectDir: "/project", variables };
}

describe("controller timing", () => {
  it("a member's health window is start_period + interval × retries, with Docker's defaults", () => {
    assert.equal(memberHealthWindow({ healthcheck: { test: ["CMD", "x"], start_period: "20s", interval: "5s", retries: 5 } }), 45_000);
    assert.equal(memberHealthWindow({ healthcheck: { test: ["CMD", "x"] } }), 90_000);
    assert.equal(memberHealthWindow({ healthcheck: { disable: true } }), 0);
    assert.equal(memberHealthWindow({}), 0);
  });

  it("the controller's start period covers the slowest member, and is never under 30s", () => {
    assert.equal(controllerStartPeriod([{}, { healthcheck: { test: ["CMD", "x"], start_period: "1m", interval: "15s", retries: 4 } }]), 120_000);
    assert.equal(controllerStartPeriod([{}]), 30_000);
  });

  it("the stop grace period adds the longest grace of each dependency wave, plus 5s", () => {
    assert.equal(controllerStopGrace({ a: {}, b: { stop_grace_period: "45s" } }), 50_000);
    assert.equal(controllerStopGrace({ a: { stop_grace_period: "30s", depends_on: { b: { condition: "service_healthy" } } }, b: {} }), 45_000);
  });

  it("durations are written as Go durations", () => {
    assert.equal(formatDuration(125_500), "2m5s500ms");
    assert.equal(formatDuration(3_600_000), "1h");
    assert.equal(formatDuration(0), "0s");
  });
});

describe("emitStack", () => {
  it("attaches configs and secrets at internal paths and copies them to their targets with mode, uid and gid", () => {
    const { value } = emitStack(
      model(`
services:
  web:
    image: nginx
    configs: [{source: site, target: /etc/site.conf, mode: 0o440, uid: "101", gid: "102"}]
    secrets: [key]
configs: {site: {file: /p/site.conf}}
secrets: {key: {file: /p/key}}
x-pods:
  pod: {components: [web]}
`),
    );
    const pod = value.services.pod!;
    assert.deepEqual(pod.configs, [{ source: "site", target: "/run/podlike/web/configs/site" }]);
    assert.deepEqual(pod.secrets, [{ source: "key", target: "/run/podlike/web/secrets/key" }]);
    const copies = parse((pod.labels as Record<string, string>)["pod.copy.web"]!);
    assert.deepEqual(copies, [
      { source: "/run/podlike/web/configs/site", target: "/etc/site.conf", mode: "0440", uid: 101, gid: 102 },
      { source: "/run/podlike/web/secrets/key", target: "/run/secrets/key" },
    ]);
  });

  it("a port published by two members is an error naming both", () => {
    const { diagnostics } = emitStack(
      model(`
services:
  a: {image: x, ports: ["80:80"]}
  b: {image: y, ports: ["80:8080"]}
x-pods:
  p: {components: [a, b]}
`),
    );
    const clash = diagnostics.find((d) => d.code === "PORT_CLASH");
    assert.ok(clash);
    assert.match(clash.message, /"a".*"b"/);
  });

  it("members that disagree on deploy are one error naming both, from lint, and nothing is emitted", () => {
    const { value, diagnostics } = convertModel(
      modelFromYaml(`
services:
  a: {image: x, deploy: {mode: global}}
  b: {image: y, deploy: {mode: replicated}}
x-pods:
  p: {components: [a, b]}
`),
    );
    assert.equal(value, undefined);
    const conflicts = diagnostics.filter((d) => d.code === "DEPLOY_CONFLICT");
    assert.equal(conflicts.length, 1, JSON.stringify(conflicts));
    assert.match(conflicts[0]!.message, /"b".*"a"|"a".*"b"/);
  });

  it("a warning lint gives about a pod member is given once: the converter trusts lint and does not check again", () => {
    const text = `
services:
  a: {image: x, hostname: a, depends_on: [db]}
  db: {image: postgres}
x-pods:
  p: {components: [a]}
`;
    assert.deepEqual(emitStack(modelFromYaml(text)).diagnostics, []);
    const { value, diagnostics } = convertModel(modelFromYaml(text));
    assert.deepEqual(diagnostics.map((d) => d.code).sort(), ["CROSS_POD_DEPENDENCY", "UNSUPPORTED_KEY"]);
    const component = parse((value!.services.p!.labels as Record<string, string>)["pod.component.a"]!);
    assert.deepEqual(component, { image: "x" }, "hostname and the dependency outside the pod are dropped");
  });

  it("named volumes are mounted on the controller; components keep their own mounts", () => {
    const { value } = emitStack(
      model(`
services:
  a: {image: x, volumes: ["logs:/logs", "/host:/host"]}
volumes: {logs: {}}
x-pods:
  p: {components: [a]}
`),
    );
    const volumes = value.services.p!.volumes as unknown[];
    assert.deepEqual(volumes, [
      "/var/run/docker.sock:/var/run/docker.sock",
      { type: "volume", source: "logs", target: "/run/podlike/volumes/logs", volume: { nocopy: true } },
    ]);
    assert.deepEqual(parse((value.services.p!.labels as Record<string, string>)["pod.component.a"]!).volumes, ["logs:/logs", "/host:/host"]);
  });

  it("services outside pods lose only what Swarm rejects; Compose's resource keys move under deploy", () => {
    const { value, diagnostics } = emitStack(
      model(`
services:
  db:
    image: postgres
    mem_limit: 1g
    scale: 2
    pull_policy: always
    depends_on: {cache: {condition: service_healthy}}
  cache: {image: redis}
`),
    );
    assert.deepEqual(value.services.db, {
      deploy: { replicas: 2, resources: { limits: { memory: "1g" } } },
      depends_on: ["cache"],
      image: "postgres",
    });
    assert.deepEqual(diagnostics.map((d) => d.code), ["SWARM_UNSUPPORTED_KEY"]);
  });
});

describe("writeStack", () => {
  const stack: SwarmStack = {
    version: "3.9",
    services: { b: { image: "x", labels: { on: "on", n: "no", mode: "0755", t: "1:20", price: "$5" } }, a: { image: "y" } },
    volumes: { v: {} },
  };

  it("keeps the top level in reading order and sorts everything else", () => {
    const text = writeStack(stack);
    assert.deepEqual(text.split("\n").filter((l) => /^\S/.test(l)), ['version: "3.9"', "services:", "volumes:"]);
    assert.ok(text.indexOf("  a:") < text.indexOf("  b:"));
  });

  it("quotes what YAML 1.1 would read as something else, and doubles $", () => {
    const read = parse(writeStack(stack), { version: "1.1" });
    assert.deepEqual(read.services.b.labels, { on: "on", n: "no", mode: "0755", t: "1:20", price: "$$5" });
  });
});
