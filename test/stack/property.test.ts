import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parse } from "yaml";
import { emitStack } from "../../src/stack/emit.js";
import { writeStack } from "../../src/stack/write.js";
import { decodeLabels } from "../../src/labels/protocol.js";
import type { ComposeModel } from "../../src/compose/model.js";
import { stackConfig, stackConfigUnavailable } from "./support.js";

/**
 * Random Compose projects with pods: whatever the mix of short and long
 * syntaxes, the emitted stack is read by the Docker CLI, and each pod's
 * labels decode to its members.
 */
const text = fc.constantFrom("on", "no", "0755", "1:20", "a: b", "$HOME", "cost $$5", "multi\nline\n", "plain", "--flag", "#x", "");

const serviceArb = (index: number) =>
  fc.record(
    {
      image: fc.constantFrom("nginx:1.27", "legacy/app:1", "registry.example.com:5000/x/y@sha256:" + "a".repeat(64)),
      command: fc.oneof(fc.constant("serve --port 80"), fc.array(text, { maxLength: 3 })),
      environment: fc.oneof(fc.dictionary(fc.constantFrom("A", "B", "ON", "Y"), text), fc.array(fc.constantFrom("A=1", "B=on", "C=$$x"))),
      labels: fc.dictionary(fc.constantFrom("com.example.a", "y", "on"), text, { maxKeys: 2 }),
      ports: fc.constantFrom([`${8000 + index}:80`], [{ target: 81, published: 9000 + index, mode: "host" }], [`${7000 + index}`], []),
      networks: fc.constantFrom(["front"], { back: { aliases: [`alias-${index}`] } }, { front: null, back: {} }),
      volumes: fc.constantFrom(["data:/data"], ["/srv:/srv:ro"], [{ type: "volume", source: "data", target: "/v" }], ["/anonymous"]),
      configs: fc.constantFrom(["conf"], [{ source: "conf", target: "/etc/c.conf", mode: 0o440, uid: "1", gid: "2" }]),
      secrets: fc.constantFrom(["key"], [{ source: "key", target: "k.pem", mode: 0o400 }]),
      healthcheck: fc.constantFrom({ test: ["CMD", "true"], interval: "5s", retries: 2, start_period: "1m" }, { disable: true }),
      stop_grace_period: fc.constantFrom("3s", "1m30s"),
    },
    { requiredKeys: ["image"] },
  );

const projectArb = fc.integer({ min: 2, max: 6 }).chain((count) =>
  fc.tuple(
    fc.tuple(...Array.from({ length: count }, (_, i) => serviceArb(i))),
    fc.array(fc.integer({ min: 0, max: 2 }), { minLength: count, maxLength: count }),
    fc.boolean(),
  ),
);

function toModel([services, podOf, withDependsOn]: [Record<string, unknown>[], number[], boolean]): ComposeModel {
  const raw: Record<string, unknown> = {
    services: {},
    networks: { front: {}, back: { driver: "overlay" } },
    volumes: { data: {} },
    configs: { conf: { file: "/project/conf" } },
    secrets: { key: { file: "/project/key" } },
  };
  const pods: Record<string, { components: string[] }> = {};
  services.forEach((service, i) => {
    const name = `svc-${i}`;
    (raw.services as Record<string, unknown>)[name] = service;
    if (podOf[i]! > 0) (pods[`pod-${podOf[i]}`] ??= { components: [] }).components.push(name);
  });
  if (withDependsOn) {
    const first = (raw.services as Record<string, Record<string, unknown>>)["svc-0"]!;
    first.depends_on = { "svc-1": { condition: "service_started" } };
  }
  if (Object.keys(pods).length) raw["x-pods"] = pods;
  return { raw, files: ["/project/compose.yml"], projectDir: "/project", variables: {} };
}

describe("every emitted stack", { skip: stackConfigUnavailable() }, () => {
  it("is read by docker stack config, with the labels convert wrote, and decodes back to the pods", () => {
    fc.assert(
      fc.property(projectArb, (input) => {
        const model = toModel(input);
        const { value, diagnostics } = emitStack(model);
        assert.deepEqual(diagnostics.filter((d) => d.severity === "error"), []);
        const yaml = writeStack(value);
        const result = stackConfig(yaml);
        assert.ok(result.ok, `${result.output}\n${yaml}`);
        const read = parse(result.output) as { services: Record<string, { labels?: Record<string, string> }> };
        const pods = (model.raw["x-pods"] ?? {}) as Record<string, { components: string[] }>;
        for (const [name, service] of Object.entries(value.services)) {
          assert.deepEqual(read.services[name]?.labels ?? {}, service.labels ?? {}, `labels of ${name}`);
          if (!pods[name]) continue;
          const { model: decoded, problems } = decodeLabels(service.labels as Record<string, string>);
          assert.deepEqual(problems, []);
          assert.deepEqual(Object.keys(decoded.components).sort(), [...pods[name].components].sort());
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 25), seed: process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : 42 },
    );
  });
});
