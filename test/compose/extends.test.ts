import { test } from "node:test";
import assert from "node:assert/strict";
import { sourceAt } from "../../src/compose/source-map.js";
import { codes, load } from "./support.js";

test("extends within the file: own keys win, lists merge, extends is gone", async () => {
  const { raw, diagnostics } = await load(`services:
  base:
    image: app
    environment: [A=1, B=1]
    ports: ["80:80"]
  web:
    extends: base
    environment: {B: 2}
    ports: ["81:81"]
  worker:
    extends: {service: web}
    command: work
`);
  assert.deepEqual(codes(diagnostics), []);
  assert.deepEqual(raw!.services.web, { image: "app", environment: { A: "1", B: 2 }, ports: ["80:80", "81:81"] });
  assert.deepEqual(raw!.services.worker, { image: "app", environment: { A: "1", B: 2 }, ports: ["80:80", "81:81"], command: "work" });
  assert.equal(sourceAt(raw, ["services", "web", "image"])?.line, 3);
});

test("extends from another file: paths relative to that file, positions in that file", async () => {
  const { raw, diagnostics, dir } = await load(
    "services:\n  web:\n    extends:\n      file: lib/common.yaml\n      service: app\n    image: app:2\n",
    { "lib/common.yaml": "services:\n  app:\n    image: app:1\n    volumes: ['./conf:/conf']\n    env_file: app.env\n", "lib/app.env": "A=1\n" },
  );
  assert.deepEqual(codes(diagnostics), []);
  assert.deepEqual(raw!.services.web, { image: "app:2", volumes: [`${dir}/lib/conf:/conf`], env_file: `${dir}/lib/app.env` });
  assert.deepEqual(Object.keys(raw!.services), ["web"]);
  const at = sourceAt(raw, ["services", "web", "volumes", 0]);
  assert.deepEqual([at?.file, at?.line], [`${dir}/lib/common.yaml`, 4]);
});

test("extends loops, missing services and missing files are EXTENDS errors", async () => {
  const loop = await load("services:\n  a:\n    extends: b\n  b:\n    extends: {service: a}\n    image: x\n");
  assert.ok(codes(loop.diagnostics).every((c) => c === "EXTENDS") && loop.diagnostics.length >= 1);
  assert.match(loop.diagnostics[0]!.message, /a -> b -> a|b -> a -> b/);
  assert.ok(loop.value, "a loop does not stop loading");

  const missing = await load("services:\n  a:\n    image: x\n    extends: nope\n");
  assert.deepEqual(codes(missing.diagnostics), ["EXTENDS"]);
  assert.equal(missing.diagnostics[0]!.at?.line, 4);

  const noFile = await load("services:\n  a:\n    extends: {file: gone.yaml, service: x}\n");
  assert.deepEqual(codes(noFile.diagnostics), ["EXTENDS"]);
  assert.match(noFile.diagnostics[0]!.message, /gone\.yaml/);
});
