import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { readYamlDirect } from "../../src/compose/parse-yaml-direct.js";
import { parseComposeYaml, parseComposeYamlFully } from "../../src/compose/parse-yaml.js";
import { sourceAt } from "../../src/compose/source-map.js";
import { assertAgreesWithFull, describe, fixtureFiles } from "./yaml-trees.js";

/** The direct reader either hands the text over or reads exactly what the full reader reads, finding nothing. */
const assertAgrees = (text: string): boolean => assertAgreesWithFull(text, readYamlDirect);

test("the direct reader reads the fixture Compose files it takes as the full reader does, positions included", () => {
  const files = fixtureFiles(join(import.meta.dirname, "..", "..", "fixtures"));
  let read = 0;
  for (const file of files) if (assertAgrees(readFileSync(file, "utf8"))) read++;
  // files with anchors, tags, merge keys or block scalars are left to the event reader
  assert.ok(read >= 85, `only ${read} of ${files.length} fixture files read by the direct reader`);
});

const SEEDS = [
  `services:
  web:
    image: "registry.example.com/app:1.0"
    command: [sh, -c, 'echo it''s $$HOME']
    environment: {PORT: "8080", REGION: "\${REGION:-eu}", EMPTY: ''}
    ports:
      - "8080:80"
      - target: 443
        published: 8443
        mode: host
    configs: [{source: app-conf, target: /etc/app.conf, mode: 0440}]
    deploy:
      replicas: 2
      placement: {constraints: [node.role == manager]}
    labels:
    - a=b
    -
    - c=d
  db:
    image: postgres:16
    user: 0x1F
    healthcheck: {test: [CMD, pg_isready], interval: 10s, retries: 3}
    volumes:
      -   data:/var/lib/postgresql
      - type: bind
        source: ./init
        target: /docker-entrypoint-initdb.d
volumes:
  data:
  logs: {}
x-pods:
  pod-1:
    components: [web, db]
    init: []
`,
  `services:
  a:
    environment:
      1: one
      true: yes
      null: nothing
      "~": tilde
      "quoted key": 'single'
      1.5e3: float
      0o17: octal
      017: yaml11
      .inf: infinity
    entrypoint: ["a b", 'c d', plain text, -x, --flag=1]
    stop_grace_period: 1m30s
    read_only: false
    cpus: 0.5
  b: {image: y, command: [a, [b, c], {d: e}]}
networks:
  front:
    driver: overlay
`,
  `# the project
services:
  # the web app
  web:
    image: x # which image
    ports:
      # http
      - "80:80"
      - 443:443 # https
        # below the item
    environment:
        # none
      A: 1
    labels:
    # at the key's indentation
    - a=b

  # db
  db:
    image: y
    command: [run, --fast]   # flags
    deploy: # swarm
      replicas: 2
      # deeper
  # between
    # deeper again
# trailing
volumes:
  data: {}
    # under data
`,
  `x-defaults: &defaults
  restart: always
  labels: {team: core}
x-env: &env [A=1, "B=2"]
services:
  web:
    <<: *defaults
    image: x
    environment: *env
    labels: {team: web}
  db:
    <<: [*defaults, {image: y}]
    restart: "no"
    command: &cmd [run, --db]
  worker:
    command: *cmd
    deploy: &deploy
      replicas: 2
    volumes:
      - &vol data:/data
      - *vol
      - &empty
  other:
    deploy: *deploy
    labels: {a: &x 1, b: *x}
`,
  `services:
  web:
    image: x
    environment:
      - A=1
    # ports:
    #   - 80:80

  db:
    image: y
    volumes:
      - data:/data
      # - logs:/logs
  # cache:
  #   image: z
# the end
volumes:
  data:
x-pods:
  # one pod
  p:
    components: [web, db] # both
`,
];
const PIECES = ["\n", " ", "  ", ": ", ":", "- ", "-", "#", " # c", "'", '"', "''", "[", "]", "{", "}", ",", "\t", "\r\n", "&a ", "*a", "*defaults", "&", "*", "!reset ", "<<: ", "|", ">", "? ", "---\n", "...\n", "%YAML 1.2\n", "\\", "x: 1\n", "  y: 2\n", "- z\n", "\u0085", "\uFEFF"];

test("property: after random edits the direct reader hands over or reads what the full reader reads", () => {
  let read = 0;
  const edit = fc.record({ at: fc.nat(2_000), remove: fc.nat(6), insert: fc.constantFrom(...PIECES) });
  fc.assert(
    fc.property(fc.constantFrom(...SEEDS), fc.array(edit, { minLength: 1, maxLength: 4 }), (seed, edits) => {
      let text = seed;
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
      }
      if (assertAgrees(text)) read++;
    }),
    { numRuns: 3_000 },
  );
  assert.ok(read > 150, `only ${read} of 3000 edited files were read by the direct reader`);
});

test("the seeds of the property are read by the direct reader, as the full reader reads them", () => {
  for (const seed of SEEDS) assert.ok(assertAgrees(seed), `the direct reader hands over:\n${seed}`);
});

test("positions the direct reader works out: keys, quotes, flow ends, empty values and items, a mapping in an item", () => {
  const text = [
    "services:", // 1
    "  web:", // 2
    '    image: "app:1"  ', // 3
    "    ports: [ 80 , 443 ]", // 4
    "    volumes:", // 5
    "    - target: /a", // 6
    "      type: tmpfs", // 7
    "    -", // 8
    "volumes:", // 9
    "  data:", // 10
  ].join("\n");
  const value = readYamlDirect(text, "compose.yml");
  assert.ok(value, "the direct reader reads this file itself");
  const at = (path: (string | number)[], prefer: "key" | "value" = "value") => {
    const { line, col, endLine, endCol } = sourceAt(value, path, prefer)!;
    return [line, col, endLine, endCol];
  };
  assert.deepEqual(at(["services", "web", "image"], "key"), [3, 5, 3, 10]);
  assert.deepEqual(at(["services", "web", "image"]), [3, 12, 3, 19], "a quoted scalar spans its quotes, not the spaces after it");
  assert.deepEqual(at(["services", "web", "ports"]), [4, 12, 4, 24], "a flow sequence ends after its bracket");
  assert.deepEqual(at(["services", "web", "ports", 1]), [4, 19, 4, 22]);
  assert.deepEqual(at(["services", "web", "volumes", 0]), [6, 7, 8, 1], "a mapping in an item starts at its first key and ends after its last line");
  assert.deepEqual(at(["services", "web", "volumes", 1]), [8, 6, undefined, undefined], "an empty item sits after its dash");
  assert.deepEqual(at(["volumes", "data"]), [10, 8, undefined, undefined], "an empty value sits after its colon");
  assert.deepEqual(describe(value), describe(parseComposeYamlFully(text, "compose.yml").value));
});

test("a colon inside a scalar of a flow collection is read directly, as the full reader reads it", () => {
  const text = [
    "services:", // 1
    "  web:", // 2
    "    volumes: [logs:/var/logs/app, data:/data:ro]", // 3
    "    healthcheck: {test: [CMD, curl, http://localhost:80/]}", // 4
    "    labels: {url: a:b, time: 1:30}", // 5
  ].join("\n");
  const value = readYamlDirect(text, "compose.yml");
  assert.ok(value, "the direct reader reads this file itself");
  const full = parseComposeYamlFully(text, "compose.yml");
  assert.deepEqual(full.diagnostics, []);
  assert.deepEqual(describe(value), describe(full.value));
  const web = (value as { services: { web: { volumes: unknown[]; healthcheck: { test: unknown[] } } } }).services.web;
  assert.deepEqual(web.volumes, ["logs:/var/logs/app", "data:/data:ro"]);
  assert.equal(web.healthcheck.test[2], "http://localhost:80/");
  const { line, col, endCol } = sourceAt(value, ["services", "web", "volumes", 1])!;
  assert.deepEqual([line, col, endCol], [3, 35, 48]);
});

test("YAML the direct reader leaves to the other readers is still read, as the full reader reads it", () => {
  const cases = [
    "services:\n  web:\n    image: # none\n",
    "services:\n  web:\n    image:\n    # none\n",
    "x-a: &a {image: x}\nservices:\n  web: {<<: *a}\n",
    "x-a: &a\nservices:\n  web:\n    image: x\n  db: [&b, *a]\n",
    "services:\n  web:\n    volumes:\n      - a:/a\n      # none\n      -\n  db: {}\n",
    "services:\n  web:\n    networks: !reset []\n",
    "services:\n  web:\n    entrypoint: |\n      run\n",
    "services:\n  web:\n    command: [a,\n      b]\n",
    "services:\n  web:\n    image: \"a\\tb\"\n",
    "services:\n  web:\n    command: run\n      more\n",
    "services:\r\n  web:\r\n    image: x\r\n",
    "services:\n  web:\n    image:\tx\n",
    "---\nservices:\n  web:\n    image: x\n",
    "services:\n  web:\n    ports: [\"80:80\", ]\n",
    "services:\n  web:\n    labels: {a, b: c}\n",
    "services:\n  web:\n    labels: {a:b}\n",
    "services:\n  web:\n    command: [a:, b]\n",
    "services:\n  web:\n    command: [a: b]\n",
    "services:\n  web:\n    image: x\n...\n",
    "%YAML 1.2\n---\nservices:\n  web:\n    image: x\n",
    "services:\n  web:\n    labels: {icon: \u{1F40B}}\n",
    "services:\n  web:\n    image: x\nx-note: a\tb\n",
  ];
  for (const text of cases) {
    assert.equal(readYamlDirect(text, "compose.yml"), undefined, `the direct reader hands over:\n${text}`);
    const full = parseComposeYamlFully(text, "compose.yml");
    assert.deepEqual(full.diagnostics, []);
    const read = parseComposeYaml(text, "compose.yml");
    assert.deepEqual(read.diagnostics, []);
    assert.deepEqual(describe(read.value), describe(full.value), `read by the other readers:\n${text}`);
  }
});

test("a key written twice, or a value where a key belongs, is not read: the full reader reports it", () => {
  const cases = [
    "services:\n  a: {image: x}\n  a: {image: y}\n",
    "services:\n  a:\n    image: x\n    image: y\n",
    "services:\n  a: {image: x, image: y}\n",
    "services:\n  a:\n    image: x: y\n",
    "services:\n  a:\n  image: x\n   command: y\n",
    "services:\n  a:\n    - x\n    y: 1\n",
  ];
  for (const text of cases) {
    assert.equal(readYamlDirect(text, "compose.yml"), undefined, `the direct reader hands over:\n${text}`);
    assert.notDeepEqual(parseComposeYamlFully(text, "compose.yml").diagnostics, []);
  }
});

test("a generated file of 1000 services in the usual forms is read by the direct reader, as the full reader reads it", () => {
  let text = "services:\n";
  for (let i = 0; i < 1000; i++) {
    text += `  svc-${i}:\n    image: registry.example.com/svc:${i}\n    environment: {MODE: production, ID: "${i}"}\n    ports: [{target: 80, published: ${20000 + i}}]\n`;
    text += `    volumes:\n      - data-${i}:/data\n    deploy:\n      placement: {constraints: ["node.labels.zone == ${i % 3}"]}\n`;
  }
  text += "volumes:\n" + Array.from({ length: 1000 }, (_, i) => `  data-${i}:\n`).join("");
  assert.ok(assertAgrees(text), "the direct reader reads the generated file");
});
