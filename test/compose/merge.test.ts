import { test } from "node:test";
import assert from "node:assert/strict";
import { sourceAt } from "../../src/compose/source-map.js";
import { codes, load } from "./support.js";

/** Loads base.yaml then override.yaml, as `-f base.yaml -f override.yaml`. */
async function merged(base: string, override: string) {
  const result = await load(base, { "override.yaml": override }, { fileNames: ["compose.yaml", "override.yaml"] });
  assert.deepEqual(codes(result.diagnostics), []);
  return result;
}

test("two files: ports union, environment by key, command replaced, volumes by target", async () => {
  const { raw, dir } = await merged(
    `services:
  web:
    image: app:1
    command: serve --port 80
    ports: ["8080:80", "9000:9000"]
    environment: [A=1, B=1]
    volumes: ["data:/data", "./conf:/etc/app:ro"]
`,
    `services:
  web:
    image: app:2
    command: ["serve", "--debug"]
    ports: ["8080:80", "9443:443"]
    environment: {B: 2, C: 3}
    volumes: ["other:/data", "logs:/logs"]
`,
  );
  const web = raw!.services.web;
  assert.equal(web.image, "app:2");
  assert.deepEqual(web.command, ["serve", "--debug"]);
  assert.deepEqual(web.ports, ["8080:80", "9000:9000", "9443:443"]);
  assert.deepEqual(web.environment, { A: "1", B: 2, C: 3 });
  assert.deepEqual(web.volumes, ["other:/data", `${dir}/conf:/etc/app:ro`, "logs:/logs"]);
});

test("two files: list forms, depends_on, networks, secrets by target, appended lists", async () => {
  const { raw } = await merged(
    `services:
  web:
    image: app
    labels: {a: "1"}
    dns: 8.8.8.8
    cap_add: [NET_ADMIN]
    depends_on: [db]
    networks: [front]
    secrets: [key, {source: cert, target: /etc/cert}]
    extra_hosts: ["a:1.1.1.1"]
    healthcheck: {test: [CMD, a], interval: 5s}
    ports: [{target: 80, published: 8080}]
    expose: ["80"]
    entrypoint: [a, b]
`,
    `services:
  web:
    labels: ["a=2", "b=3"]
    dns: [1.1.1.1, 8.8.8.8]
    cap_add: [NET_ADMIN, SYS_TIME]
    depends_on: {cache: {condition: service_healthy}}
    networks: {back: {aliases: [w]}}
    secrets: [{source: other, target: /etc/cert}]
    extra_hosts: {a: 2.2.2.2, b: 3.3.3.3}
    healthcheck: {test: [CMD, b]}
    ports: ["8080:80", {target: 80, published: 8080}, {target: 81}]
    expose: ["80", "81"]
    entrypoint: c
`,
  );
  const web = raw!.services.web;
  assert.deepEqual(web.labels, ["a=2", "b=3"]);
  assert.deepEqual(web.dns, ["8.8.8.8", "1.1.1.1"]);
  assert.deepEqual(web.cap_add, ["NET_ADMIN", "SYS_TIME"]);
  assert.deepEqual(web.depends_on, { db: { condition: "service_started" }, cache: { condition: "service_healthy" } });
  assert.deepEqual(web.networks, { front: null, back: { aliases: ["w"] } });
  assert.deepEqual(web.secrets, ["key", { source: "other", target: "/etc/cert" }]);
  assert.deepEqual(web.extra_hosts, { a: "2.2.2.2", b: "3.3.3.3" });
  assert.deepEqual(web.healthcheck, { test: ["CMD", "b"], interval: "5s" });
  assert.deepEqual(web.ports, [{ target: 80, published: 8080 }, { target: 81 }]);
  assert.deepEqual(web.expose, ["80", "81"]);
  assert.equal(web.entrypoint, "c");
});

test("!reset and !override tags", async () => {
  const { raw } = await merged(
    "services:\n  web:\n    image: app\n    ports: ['80:80']\n    environment: {A: 1, B: 2}\n",
    "services:\n  web:\n    ports: !override ['81:81']\n    environment:\n      A: !reset null\n",
  );
  assert.deepEqual(raw!.services.web.ports, ["81:81"]);
  assert.deepEqual(raw!.services.web.environment, { B: 2 });
  const single = await load("services:\n  web:\n    image: app\n    ports: !reset []\n");
  assert.deepEqual(single.raw!.services.web, { image: "app" });
});

test("positions after merging point at the file and line that wrote each value", async () => {
  const { raw, dir } = await merged(
    "services:\n  web:\n    image: app\n    ports:\n      - 8080:80\n    environment: [A=1, B=1]\n",
    "services:\n  web:\n    image: app:2\n    ports:\n      - 9090:90\n    environment:\n      B: 2\n",
  );
  const at = (path: (string | number)[]) => {
    const ref = sourceAt(raw, path);
    return ref && [ref.file.slice(dir.length + 1), ref.line, ref.col];
  };
  assert.deepEqual(at(["services", "web", "ports", 0]), ["compose.yaml", 5, 9]);
  assert.deepEqual(at(["services", "web", "ports", 1]), ["override.yaml", 5, 9]);
  assert.deepEqual(at(["services", "web", "image"]), ["override.yaml", 3, 12]);
  assert.deepEqual(at(["services", "web"]), ["compose.yaml", 3, 5]);
  assert.deepEqual(at(["services", "web", "environment", "A"]), ["compose.yaml", 6, 19]);
  assert.deepEqual(at(["services", "web", "environment", "B"]), ["override.yaml", 7, 10]);
});

test("compose.override.yaml beside compose.yaml is merged when no file is named", async () => {
  const { raw } = await load("services:\n  web:\n    image: app\n", { "compose.override.yaml": "services:\n  web:\n    image: app:dev\n" }, { fileNames: [] });
  assert.equal(raw!.services.web.image, "app:dev");
});

test("paths in an override from another folder start at the first file's folder, as in docker compose", async () => {
  const { raw, dir } = await load(
    "services:\n  web:\n    image: app\n    volumes: ['./data:/data']\n",
    { "ops/override.yaml": "services:\n  web:\n    volumes: ['./conf:/conf']\n    env_file: app.env\n", "app.env": "A=1\n" },
    { fileNames: ["compose.yaml", "ops/override.yaml"] },
  );
  assert.deepEqual(raw!.services.web.volumes, [`${dir}/data:/data`, `${dir}/conf:/conf`]);
  assert.equal(raw!.services.web.env_file, `${dir}/app.env`);
});

test("an empty override file (nothing or only comments) is skipped, as Compose does; all files empty is an error", async () => {
  const { raw, diagnostics } = await load("services:\n  web:\n    image: app\n", { "override.yaml": "# nothing yet\n" }, { fileNames: ["compose.yaml", "override.yaml"] });
  assert.deepEqual(codes(diagnostics), []);
  assert.deepEqual(raw, { services: { web: { image: "app" } } });
  const empty = await load("", { "override.yaml": "{}\n" }, { fileNames: ["compose.yaml", "override.yaml"] });
  assert.equal(empty.value, undefined);
  assert.deepEqual(codes(empty.diagnostics), ["NOT_A_MAPPING"]);
});
