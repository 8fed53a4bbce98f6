import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { stringify } from "yaml";
import { loadProject } from "../../src/compose/load.js";
import { folderWith } from "./support.js";

const VALID = `x-defaults: &defaults
  image: busybox:\${TAG:-1.36}
  environment: [A=1, "B=\${B}"]
services:
  web:
    <<: *defaults
    command: ["sh", "-c", "echo $$HOME"]
    ports: ["8080:80", {target: 443, published: 8443}]
    volumes: ["./data:/data:ro", "logs:/logs"]
    depends_on: {db: {condition: service_healthy}}
    extends: base
  base:
    image: busybox
    healthcheck: {test: [CMD, "true"], interval: 10s}
  db:
    image: postgres:16
x-pods:
  app:
    components: [web]
volumes:
  logs: {}
`;

/** Loads text as standard input, in a fresh empty folder. */
async function loadText(text: string, dir: string) {
  return loadProject({ files: ["-"], cwd: dir, env: { B: "b" }, readStdin: async () => text });
}

test("property: arbitrary text never makes the loader throw", async () => {
  const dir = folderWith({});
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: "binary", maxLength: 200 }), async (text) => {
      const result = await loadText(text, dir);
      assert.ok(result.value !== undefined || result.diagnostics.some((d) => d.severity === "error"));
    }),
    { numRuns: 300 },
  );
});

const PIECES = [":", " ", "\n", "-", "&a", "*a", "*defaults", "<<: ", "${", "$", "}", "{", "[", "]", "'", '"', "!reset ", "!override ", "#", "  ", "\t", "? ", "|", ">", "extends: web", "0o7", "~"];

test("property: random edits of a valid file never make the loader throw", async () => {
  const dir = folderWith({});
  const edit = fc.record({ at: fc.nat(VALID.length), remove: fc.nat(6), insert: fc.constantFrom(...PIECES) });
  await fc.assert(
    fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
      let text = VALID;
      for (const e of edits) {
        const at = Math.min(e.at, text.length);
        text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
      }
      const result = await loadText(text, dir);
      for (const d of result.diagnostics) assert.equal(typeof d.message, "string");
    }),
    { numRuns: 400 },
  );
});

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const service = fc.record(
  {
    image: fc.constantFrom("busybox", "postgres:16", "app:${TAG:-1}"),
    ports: fc.array(fc.constantFrom("80", "8080:80", "127.0.0.1:53:53/udp", "3000-3001"), { maxLength: 3 }),
    environment: fc.oneof(fc.array(fc.constantFrom("A=1", "B", "C=x y"), { maxLength: 3 }), fc.dictionary(fc.constantFrom("A", "B", "C"), fc.constantFrom("1", "two"))),
    command: fc.oneof(fc.constant("echo hi"), fc.array(fc.constantFrom("sh", "-c", "true"), { maxLength: 3 })),
    volumes: fc.array(fc.constantFrom("data:/data", "./conf:/conf:ro", "/abs:/abs"), { maxLength: 2 }),
    depends_on: fc.array(fc.constantFrom("db", "cache"), { maxLength: 2 }),
    labels: fc.dictionary(fc.constantFrom("a", "b"), fc.constantFrom("x", "y")),
  },
  { requiredKeys: ["image"] },
);
const project = fc.record({ services: fc.dictionary(name, service, { maxKeys: 4 }) });

test("property: an override that adds nothing changes nothing", async () => {
  await fc.assert(
    fc.asyncProperty(project, fc.constantFrom("services: {}\n", "{}\n", "x-empty: {}\n"), async (model, override) => {
      const dir = folderWith({ "compose.yaml": stringify(model), "override.yaml": override });
      const alone = await loadProject({ files: ["compose.yaml"], cwd: dir, env: {} });
      const both = await loadProject({ files: ["compose.yaml", "override.yaml"], cwd: dir, env: {} });
      const withoutExtension = { ...(both.value!.raw as Record<string, unknown>) };
      delete withoutExtension["x-empty"];
      assert.deepEqual(withoutExtension, alone.value!.raw);
      assert.deepEqual(both.diagnostics, alone.diagnostics);
    }),
    { numRuns: 60 },
  );
});
