import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { readYamlEvents, readYamlFast, readYamlInParts } from "../../src/compose/parse-yaml-events.js";
import { parseComposeYaml, parseComposeYamlFully } from "../../src/compose/parse-yaml.js";
import { sourceAt } from "../../src/compose/source-map.js";
import { mergeTagOf } from "../../src/compose/yaml-values.js";
import { assertAgreesWithFull, describe, fixtureFiles, type PartialReader } from "./yaml-trees.js";

/** The event reader (or `read`) either hands the text over or reads exactly what the full reader reads, finding nothing. */
const assertAgrees = (text: string, read: PartialReader = readYamlEvents): boolean => assertAgreesWithFull(text, read);

test("the fast reader reads the fixture Compose files as the full reader does, positions included", () => {
  const files = fixtureFiles(join(import.meta.dirname, "..", "..", "fixtures"));
  let read = 0;
  for (const file of files) if (assertAgrees(readFileSync(file, "utf8"))) read++;
  // only files with findings (duplicate keys, alias bombs, broken YAML) go to the full reader
  assert.ok(files.length >= 100 && read >= files.length - 10, `${read} of ${files.length} fixture files read by the fast reader`);
});

/** The fast reader with the services parsed a part of (at least) `size` characters at a time. */
const inParts =
  (size: number) =>
  (text: string, file: string): Record<string, unknown> | undefined =>
    readYamlInParts(text, file, size);

test("services parsed a part at a time read as the whole file does, in the fixture Compose files", () => {
  const files = fixtureFiles(join(import.meta.dirname, "..", "..", "fixtures"));
  let read = 0;
  for (const file of files) if (assertAgrees(readFileSync(file, "utf8"), inParts(1))) read++;
  assert.ok(read >= 40, `only ${read} of ${files.length} fixture files were read a service at a time`);
});

const SEEDS = [
  `services:
  # the web app
  web:
    # which image
    image: x
    ports:
      # http
      - 80:80
      - 443:443 # https
    environment:
        # none
      A: 1
    labels:
    # at the key's indentation
    - a=b

  # db
  db:
    image: y
    command:
    - run
      # deeper
# trailing
`,
  `x-defaults: &defaults
  image: busybox:\${TAG:-1.36}
  environment: [A=1, "B=\${B}"]
services:
  web:
    <<: *defaults
    command: ["sh", "-c", "echo $$HOME"]   # run it
    ports: ["8080:80", {target: 443, published: 8443}]
    depends_on: {db: {condition: service_healthy}}

  # the database
  db:
    image: 'postgres:16'
    entrypoint: |
      echo hi

      exec x
    labels:
      - a=1
      -
      - !reset
      - 0440
    user: 0x1F
volumes:
  logs: {}
  data:
`,
  `services:
  a:
    command: >-
      one
      two

    environment:
      A: "multi
        line"
      B: 'it''s'
      C: 1.5e3
      D: .inf
      E: ~
      F: true
      G: plain text here   
    configs:
      - source: c
        mode: 0o644
  b: {image: y, command: [a, b, ], labels: {k: v, q}}
`,
  `x-a: &a
  - 1
  - 2
x-m: &m {k: v}
services:
  s:
    <<: [*m, {z: 1}]
    image: *a
    volumes: !override
      - a:/a
    networks: !reset []
`,
  `x-base: &base
  image: busybox
services:
  web:
    <<: *base
    command: ["a",
      "b"]
  db: {image: y}
# a comment at the top's indentation
  cache:
    image: "z
      1"
    labels:
      - a
  queue:
    entrypoint: |
      run

  worker: &w
    image: w
  other: *w
x-after: 1
networks:
  n: {}
`,
  "services:\r\n  a:\r\n    image: x\r\n  b:\r\n    image: y\r\n  c: {}\r\n",
  `services:
  web:
    image: x
    environment:
      - A=1
    # ports:
    #   - 80:80

  db:
    image: y
  # cache:
  #   image: z
# the end
`,
];
const PIECES = ["\n  # c\n", "\n    # c", "\n# c", "\n   # c\n", ":", " ", "\n", "-", "&a", "*a", "*m", "<<: ", "{", "}", "[", "]", "'", '"', "!reset ", "!override ", "!!str ", "#", "# c\n", "\t", "? ", "|", "|-", "|+", ">", ">+", "\r\n", ",", "- ", "x: ", "\n\n", "0o7", "010", "~", "---\n", "...\n", "\\"];

test("property: after random edits the fast reader hands over or reads what the full reader reads", () => {
  let read = 0;
  let readInParts = 0;
  const edit = fc.record({ at: fc.nat(2_000), remove: fc.nat(6), insert: fc.constantFrom(...PIECES) });
  fc.assert(
    fc.property(fc.constantFrom(...SEEDS), fc.array(edit, { minLength: 1, maxLength: 4 }), (seed, edits) => {
      let text = seed;
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
      }
      if (assertAgrees(text)) read++;
      if (assertAgrees(text, inParts(1 + (text.length % 8)))) readInParts++;
    }),
    { numRuns: 1_500 },
  );
  assert.ok(read > 150, `only ${read} of 1500 edited files were read by the fast reader`);
  assert.ok(readInParts > 100, `only ${readInParts} of 1500 edited files were read in parts`);
});

test("a large file's services are parsed a part at a time, and read as the whole file is", () => {
  let text = "x-defaults: &defaults\n  restart: always\nservices:\n";
  for (let i = 0; i < 400; i++) {
    text += `  svc-${i}:\n    <<: *defaults\n    image: "app:${i}"\n    ports: [${i}:80]\n    # note\n    command:\n      - run\n`;
    // an anchor, an alias and a tag inside the services: parts keep them at their places
    if (i === 200) text += "    labels: &mid {team: core}\n    volumes: !override\n      - a:/a\n";
    if (i === 300) text += "    labels: *mid\n";
    text += "\n";
  }
  text += "volumes:\n  data: {}\n";
  const whole = parseComposeYamlFully(text, "compose.yml");
  assert.deepEqual(whole.diagnostics, []);
  const parts = readYamlInParts(text, "compose.yml", 2_000);
  assert.ok(parts, "the services are read in parts");
  assert.equal(readYamlInParts(text, "compose.yml", 4_000), undefined, "services shorter than 16 parts are parsed whole");
  assert.deepEqual(describe(parts), describe(whole.value));
  // a cut inside a value that spans lines makes the text read whole, as it reads
  const spanning = text.replace('image: "app:7"', 'image: "app:7\n  svc-x: y"');
  assert.equal(readYamlInParts(spanning, "compose.yml", 1), undefined, "no part is read across a quoted value");
  assert.deepEqual(describe(readYamlFast(spanning, "compose.yml")), describe(parseComposeYamlFully(spanning, "compose.yml").value));
});

test("positions the fast reader works out from the text: quotes, block scalars, flow ends, empty values, aliases", () => {
  const text = [
    "x-env: &env {A: 1}", // 1
    "services:", // 2
    "  web:", // 3
    '    image: "app:1"', // 4
    "    command: |-", // 5
    "      run", // 6
    "", // 7
    "    ports: [ 80 , 443 ]  # both", // 8
    "    environment: *env", // 9
    "    labels:", // 10
    "      - !reset", // 11
    "volumes:", // 12
    "  data:", // 13
  ].join("\n");
  const value = readYamlFast(text, "compose.yml");
  assert.ok(value, "the fast reader reads this file itself");
  const at = (path: (string | number)[], prefer: "key" | "value" = "value") => {
    const { line, col, endLine, endCol } = sourceAt(value, path, prefer)!;
    return [line, col, endLine, endCol];
  };
  assert.deepEqual(at(["services", "web", "image"]), [4, 12, 4, 19], "a quoted scalar spans its quotes");
  assert.deepEqual(at(["services", "web", "command"]), [5, 14, 7, 1], "a block scalar starts at its indicator and ends after its last line");
  assert.deepEqual(at(["services", "web", "ports"]), [8, 12, 8, 24], "a flow sequence ends after its bracket");
  assert.deepEqual(at(["services", "web", "ports", 1]), [8, 19, 8, 22]);
  assert.deepEqual(at(["services", "web", "environment"]), [9, 18, 9, 22], "an alias is where it is written");
  assert.deepEqual(at(["services", "web", "environment", "A"], "key"), [1, 14, 1, 15], "an aliased entry is where its anchor's entry is");
  assert.deepEqual(at(["services", "web", "labels", 0]), [11, 15, undefined, undefined], "an empty item sits after its tag");
  assert.deepEqual(at(["volumes", "data"]), [13, 8, undefined, undefined], "an empty value sits after its colon");
  assert.deepEqual(at(["services", "web"]), [4, 5, 11, 15], "a block mapping ends where its last entry does");
  assert.equal(mergeTagOf((value as any).services.web.labels, 0), "reset");
  assert.equal((value as any).services.web.labels[0], "", "a tagged empty scalar is the empty string, as the full reader has it");
  assert.deepEqual(describe(value), describe(parseComposeYamlFully(text, "compose.yml").value));
});

test("files that need a finding go to the full reader, which reports it", () => {
  const cases: [string, string][] = [
    ["services:\n  a: {image: x}\n  a: {image: y}\n", "DUPLICATE_KEY"],
    ["services:\n  a:\n    image: *nothing\n", "YAML_SYNTAX"],
    ["x-a: &a [*a]\nservices: {}\n", "ALIAS_LIMIT"],
    ["- a\n- b\n", "NOT_A_MAPPING"],
    ["x-m: &m{k: v}\nservices: {}\n", "YAML_SYNTAX"],
    ["services: {}\n---\nservices: {}\n", "YAML_SYNTAX"],
    ["services:\n  web:\n    environment:\n      - A\r# comment\n", "YAML_SYNTAX"],
    ["services:\n  web:\n    command:\n#note\n      run\nvolumes: {}\n", "YAML_SYNTAX"],
    ["services:\n  web:\n    command:\n      -\n#note\n        run\nvolumes: {}\n", "YAML_SYNTAX"],
    ["x-a: &a\n#note\n  &b run\nservices: {}\n", "YAML_SYNTAX"],
    ["x-a: &a\n#note\n  run\nservices: {}\n", "YAML_SYNTAX"],
    ["services:\n  a:\n    command: >-\n      one\n   \t\n    image: x\n", "YAML_SYNTAX"],
    ["services:\n  a:\n    image:\n\t\n    command: run\n", "YAML_SYNTAX"],
    [`x: &l "${"x".repeat(100_000)}"\nservices:\n  s:\n    command: [${Array(1_000).fill("*l").join(", ")}]\n`, "ALIAS_LIMIT"],
  ];
  for (const [text, code] of cases) {
    assert.equal(readYamlFast(text, "compose.yml"), undefined, `the fast reader hands over:\n${text.slice(0, 80)}`);
    assert.deepEqual(
      parseComposeYaml(text, "compose.yml").diagnostics.map((d) => d.code),
      [code],
    );
  }
});
