import { test } from "node:test";
import assert from "node:assert/strict";
import { loadProject } from "../../src/compose/load.js";
import { stackFromModel } from "../../src/deploy/stack-input.js";
import { folderWith } from "./support.js";

test("a file without pods is checked as lint checks it; an error stops the deploy before the engine", async () => {
  const dir = folderWith({ "compose.yaml": "services:\n  web:\n    image: nginx\n    imagee: nginx\n" });
  const loaded = await loadProject({ files: ["compose.yaml"], cwd: dir, env: {} });
  const input = await stackFromModel(loaded.value!);
  assert.equal(input.value, undefined);
  const schema = input.diagnostics.find((d) => d.code === "SCHEMA");
  assert.ok(schema, "the schema finding is reported");
  assert.deepEqual([schema.at?.line, schema.severity], [4, "error"]);
});
