import { test } from "node:test";
import assert from "node:assert/strict";
import { loadProject } from "../../src/compose/load.js";
import { stackFromModel } from "../../src/deploy/stack-input.js";
import { desiredFrom, folderWith } from "./support.js";

test("a file without pods is checked as lint checks it; an error stops the deploy before the engine", async () => {
  const dir = folderWith({ "compose.yaml": "services:\n  web:\n    image: nginx\n    imagee: nginx\n" });
  const loaded = await loadProject({ files: ["compose.yaml"], cwd: dir, env: {} });
  const input = await stackFromModel(loaded.value!);
  assert.equal(input.value, undefined);
  const schema = input.diagnostics.find((d) => d.code === "SCHEMA");
  assert.ok(schema, "the schema finding is reported");
  assert.deepEqual([schema.at?.line, schema.severity], [4, "error"]);
});

test("a service outside every pod deploys the same whether or not the file holds pods (group_add, dns_opt included)", async () => {
  const plain = "services:\n  web:\n    image: nginx\n    group_add: [audio]\n    dns_opt: [ndots:1]\n    mem_limit: 64m\n";
  const withPod = `${plain}  app:\n    image: busybox\nx-pods:\n  pod:\n    components: [app]\n`;
  const alone = await desiredFrom(plain);
  const beside = await desiredFrom(withPod);
  const web = (d: Awaited<ReturnType<typeof desiredFrom>>) => d.stack.services.find((s) => s.key === "web")!.spec as Record<string, any>;
  assert.deepEqual(web(beside), web(alone));
  assert.deepEqual(web(beside).TaskTemplate.ContainerSpec.Groups, ["audio"]);
  assert.deepEqual(web(beside).TaskTemplate.ContainerSpec.DNSConfig, { Options: ["ndots:1"] });
  const about = (d: Awaited<ReturnType<typeof desiredFrom>>) => d.diagnostics.filter((x) => x.path?.[1] === "web").map((x) => `${x.code} ${x.message}`);
  assert.deepEqual(about(beside), about(alone), "the same findings about it");
  assert.deepEqual(beside.stack.services.map((s) => s.key).sort(), ["pod", "web"]);
});
