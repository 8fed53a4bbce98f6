import { test } from "node:test";
import assert from "node:assert/strict";
import { isUsageProblem, loadProject } from "../../src/compose/load.js";
import { sourceAt } from "../../src/compose/source-map.js";
import { codes, folderWith, load } from "./support.js";

test("a single file: the model names its files, folder and variables", async () => {
  const { value, dir } = await load("services:\n  web:\n    image: busybox\n", { ".env": "X=1\n" }, { env: { Y: "2", UNSET: undefined } });
  assert.deepEqual(value, {
    raw: { services: { web: { image: "busybox" } } },
    files: [`${dir}/compose.yaml`],
    projectDir: dir,
    variables: { X: "1", Y: "2" },
  });
});

test("YAML syntax errors name line and column; nothing usable comes back", async () => {
  const { value, diagnostics } = await load("services:\n  web:\n    image: [busybox\n");
  assert.equal(value, undefined);
  assert.equal(diagnostics[0]!.code, "YAML_SYNTAX");
  assert.ok(diagnostics[0]!.at!.line >= 3);
  assert.match(diagnostics[0]!.at!.file, /compose\.yaml$/);
});

test("a duplicate key is an error at the second key; the later value is used", async () => {
  const { raw, diagnostics } = await load("services:\n  web:\n    image: a\n    image: b\n");
  assert.deepEqual(codes(diagnostics), ["DUPLICATE_KEY"]);
  assert.deepEqual([diagnostics[0]!.at?.line, diagnostics[0]!.at?.col], [4, 5]);
  assert.match(diagnostics[0]!.message, /image/);
  assert.equal(raw!.services.web.image, "b");
});

test("the root must be one mapping", async () => {
  assert.deepEqual(codes((await load("- a\n- b\n")).diagnostics), ["NOT_A_MAPPING"]);
  assert.deepEqual(codes((await load("")).diagnostics), ["NOT_A_MAPPING"]);
  assert.deepEqual(codes((await load("just text\n")).diagnostics), ["NOT_A_MAPPING"]);
  const multi = await load("services: {}\n---\nservices: {}\n");
  assert.equal(multi.value, undefined);
  assert.deepEqual(codes(multi.diagnostics), ["YAML_SYNTAX"]);
  assert.match(multi.diagnostics[0]!.message, /one YAML document/);
});

test("merge keys (<<) work and explicit keys win over merged ones", async () => {
  const { raw, diagnostics } = await load(`x-defaults: &defaults
  image: app
  restart: always
  environment: {A: "1"}
services:
  web:
    <<: *defaults
    restart: "no"
  worker:
    restart: on-failure
    <<: [*defaults]
`);
  assert.deepEqual(codes(diagnostics), []);
  assert.deepEqual(raw!.services.web, { image: "app", restart: "no", environment: { A: "1" } });
  assert.deepEqual(raw!.services.worker, { restart: "on-failure", image: "app", environment: { A: "1" } });
  assert.equal(sourceAt(raw, ["services", "web", "image"])?.line, 2, "merged entries keep the anchor's position");
  assert.equal(sourceAt(raw, ["services", "web", "restart"])?.line, 8);
});

test("an alias bomb stops with ALIAS_LIMIT", async () => {
  const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
  }
  const { value, diagnostics } = await load(`x-bomb:\n${levels.map((l) => `  ${l}`).join("\n")}\nservices: {}\n`);
  assert.equal(value, undefined);
  assert.deepEqual(codes(diagnostics), ["ALIAS_LIMIT"]);
  assert.ok(diagnostics[0]!.at);
});

test("unknown anchors and self-referencing aliases are reported, not thrown", async () => {
  assert.deepEqual(codes((await load("services:\n  web: *nope\n")).diagnostics), ["YAML_SYNTAX"]);
  assert.deepEqual(codes((await load("a: &a [*a]\nservices: {}\n")).diagnostics), ["ALIAS_LIMIT"]);
});

test("YAML 1.1 octal modes and odd keys", async () => {
  const { raw } = await load("services:\n  web:\n    image: app\n    configs: [{source: c, target: /c, mode: 0440}]\n    labels: {__proto__: x, 1: one}\n");
  assert.equal(raw!.services.web.configs[0].mode, 0o440);
  assert.deepEqual(Object.keys(raw!.services.web.labels), ["1", "__proto__"]);
  assert.equal(Object.getPrototypeOf(raw!.services.web.labels), Object.prototype);
});

test("missing files: named ones are usage problems, none found is NO_COMPOSE_FILE", async () => {
  const dir = folderWith({});
  const named = await loadProject({ files: ["nope.yaml"], cwd: dir, env: {} });
  assert.equal(named.value, undefined);
  assert.deepEqual(codes(named.diagnostics), ["FILE_NOT_FOUND"]);
  assert.ok(isUsageProblem(named.diagnostics[0]!));
  const none = await loadProject({ files: [], cwd: dir, env: {} });
  assert.deepEqual(codes(none.diagnostics), ["NO_COMPOSE_FILE"]);
  assert.ok(isUsageProblem(none.diagnostics[0]!));
  const syntax = await load(": : :\n  - [");
  assert.ok(!syntax.diagnostics.some(isUsageProblem));
});

test("file discovery follows docker compose's order", async () => {
  const dir = folderWith({ "docker-compose.yml": "services: {a: {image: old}}\n", "compose.yml": "services: {a: {image: new}}\n" });
  const { value } = await loadProject({ files: [], cwd: dir, env: {} });
  assert.deepEqual(value!.files, [`${dir}/compose.yml`]);
  const legacy = folderWith({ "docker-compose.yml": "services: {a: {image: old}}\n", "docker-compose.override.yml": "services: {a: {image: dev}}\n" });
  const found = await loadProject({ files: [], cwd: legacy, env: {} });
  assert.deepEqual(found.value!.files, [`${legacy}/docker-compose.yml`, `${legacy}/docker-compose.override.yml`]);
  assert.equal((found.value!.raw as any).services.a.image, "dev");
});

test("- reads standard input", async () => {
  const dir = folderWith({});
  const { value } = await loadProject({ files: ["-"], cwd: dir, env: {}, readStdin: async () => "services:\n  a:\n    image: x\n    volumes: ['./d:/d']\n" });
  assert.deepEqual(value!.files, ["<stdin>"]);
  assert.deepEqual((value!.raw as any).services.a.volumes, [`${dir}/d:/d`]);
  assert.equal(sourceAt(value!.raw, ["services", "a", "image"])?.file, "<stdin>");
});

test("relative paths become absolute against the file that names them; ~ is HOME", async () => {
  const { raw, dir } = await load(
    `services:
  web:
    build: ./web
    volumes: ["./data:/data", "~/cache:/cache", {type: bind, source: ../up, target: /up}, "named:/n", "/abs:/abs"]
  api:
    build: {context: api, dockerfile: Dockerfile.dev}
  remote:
    build: https://github.com/docker/app.git#main
configs:
  conf: {file: ./conf/app.conf}
secrets:
  key: {file: key.pem}
  ext: {external: true}
`,
    {},
    { env: { HOME: "/home/me" } },
  );
  const up = dir.split("/").slice(0, -1).join("/");
  assert.equal(raw!.services.web.build, `${dir}/web`);
  assert.deepEqual(raw!.services.web.volumes, [`${dir}/data:/data`, "/home/me/cache:/cache", { type: "bind", source: `${up}/up`, target: "/up" }, "named:/n", "/abs:/abs"]);
  assert.deepEqual(raw!.services.api.build, { context: `${dir}/api`, dockerfile: "Dockerfile.dev" });
  assert.equal(raw!.services.remote.build, "https://github.com/docker/app.git#main");
  assert.equal(raw!.configs.conf.file, `${dir}/conf/app.conf`);
  assert.equal(raw!.secrets.key.file, `${dir}/key.pem`);
});

test("~ without a HOME stays as written, for docker stack deploy to expand, instead of naming a folder of the project", async () => {
  const { raw } = await load(`services:\n  web:\n    image: web\n    volumes: ["~/cache:/cache", {type: bind, source: "~/logs", target: /logs}]\n`, {}, { env: {} });
  assert.deepEqual(raw!.services.web.volumes, ["~/cache:/cache", { type: "bind", source: "~/logs", target: "/logs" }]);
});

test("include: the included project's resources are added, with its own paths and .env", async () => {
  const { raw, diagnostics, dir } = await load(
    "include:\n  - lib/db.yaml\nservices:\n  web:\n    image: web:${TAG}\n    depends_on: [db]\n",
    {
      ".env": "TAG=1\n",
      "lib/.env": "TAG=ignored\nPG=16\n",
      "lib/db.yaml": "services:\n  db:\n    image: postgres:${PG}-${TAG}\n    volumes: ['./init:/init']\nvolumes:\n  pgdata: {}\nx-notes: {a: 1}\n",
    },
  );
  assert.deepEqual(codes(diagnostics), []);
  assert.equal(raw!.include, undefined);
  assert.equal(raw!.services.web.image, "web:1");
  assert.equal(raw!.services.db.image, "postgres:16-1", "the including project's variables win, the included .env fills the rest");
  assert.deepEqual(raw!.services.db.volumes, [`${dir}/lib/init:/init`]);
  assert.deepEqual(raw!.volumes, { pgdata: {} });
  assert.equal(raw!["x-notes"], undefined, "only services, volumes, networks, secrets and configs are imported");
  assert.equal(sourceAt(raw, ["services", "db", "volumes", 0])?.file, `${dir}/lib/db.yaml`);
});

test("include: long form with project_directory and env_file", async () => {
  const { raw, diagnostics, dir } = await load(
    "include:\n  - path: [db/compose.yaml, db/extra.yaml]\n    project_directory: db\n    env_file: db.env\nservices: {}\n",
    { "db.env": "PG=17\n", "db/compose.yaml": "services:\n  db:\n    image: postgres:${PG}\n    env_file: ./pg.env\n", "db/extra.yaml": "services:\n  db:\n    ports: ['5432:5432']\n", "db/pg.env": "" },
  );
  assert.deepEqual(codes(diagnostics), []);
  assert.deepEqual(raw!.services.db, { image: "postgres:17", env_file: `${dir}/db/pg.env`, ports: ["5432:5432"] });
});

test("include: a local definition is merged over the included one of the same name, as docker compose does", async () => {
  const { raw, diagnostics } = await load(
    "include: [db.yaml]\nservices:\n  db:\n    image: postgres:17\n    environment: !override [MODE=local]\n    ports: !reset []\nvolumes:\n  pgdata:\n    labels: [local=1]\n",
    { "db.yaml": "services:\n  db:\n    image: postgres:16\n    command: [postgres, -c, fsync=off]\n    environment: [MODE=included, LANG=C]\n    ports: ['5432:5432']\nvolumes:\n  pgdata:\n    driver: local\n" },
  );
  assert.deepEqual(codes(diagnostics), []);
  assert.deepEqual(raw!.services.db, { image: "postgres:17", command: ["postgres", "-c", "fsync=off"], environment: ["MODE=local"] });
  assert.deepEqual(raw!.volumes.pgdata, { driver: "local", labels: ["local=1"] });
  assert.equal(sourceAt(raw, ["services", "db", "image"])?.line, 4, "the local value keeps its own position");
});

test("include: listed environment entries of included services read the include's env_file; /dev/null reads none", async () => {
  const { raw, diagnostics } = await load(
    "include:\n  - path: [module/compose.yml]\n    env_file: [./custom.env]\n  - path: other/compose.yml\n    env_file: /dev/null\nservices:\n  a:\n    image: alpine\n    environment: [VAR_NAME]\n",
    {
      "custom.env": "VAR_NAME=value\n",
      "module/compose.yml": "services:\n  b:\n    image: alpine\n    environment: [VAR_NAME, OTHER=1, UNSET]\n",
      "other/.env": "VAR_NAME=from-other-dotenv\n",
      "other/compose.yml": "services:\n  c:\n    image: alpine\n    environment: [VAR_NAME]\n",
    },
  );
  assert.deepEqual(codes(diagnostics), []);
  assert.deepEqual(raw!.services.a.environment, ["VAR_NAME"], "the include's env_file is only seen inside the include");
  assert.deepEqual(raw!.services.b.environment, ["VAR_NAME=value", "OTHER=1", "UNSET"]);
  assert.deepEqual(raw!.services.c.environment, ["VAR_NAME"], "env_file: /dev/null skips the included project's .env");
});

test("include: loops, missing files and a non-list are reported", async () => {

  const same = await load("include: [db.yaml]\nservices:\n  db:\n    image: postgres:16\n", { "db.yaml": "services:\n  db:\n    image: postgres:16\n" });
  assert.deepEqual(codes(same.diagnostics), []);

  const loop = await load("include: [a.yaml]\nservices: {}\n", { "a.yaml": "include: [compose.yaml]\nservices: {}\n" });
  assert.deepEqual(codes(loop.diagnostics), ["INCLUDE"]);
  assert.match(loop.diagnostics[0]!.message, /loops/);

  const missing = await load("include: [gone.yaml]\nservices: {}\n");
  assert.deepEqual(codes(missing.diagnostics), ["FILE_NOT_FOUND"]);
  assert.equal(missing.diagnostics[0]!.at?.line, 1);
  assert.ok(!isUsageProblem(missing.diagnostics[0]!));

  assert.deepEqual(codes((await load("include: other.yaml\nservices: {}\n")).diagnostics), ["INCLUDE"]);
});

test("absurdly deep nesting is a YAML_SYNTAX error, not a crash", async () => {
  const { value, diagnostics } = await load(`services: ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
  assert.equal(value, undefined);
  assert.deepEqual([...new Set(codes(diagnostics))], ["YAML_SYNTAX"]);
  assert.match(diagnostics[0]!.message, /nested too deeply/);
});
