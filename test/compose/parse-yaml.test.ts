import { test } from "node:test";
import assert from "node:assert/strict";
import { parseComposeYaml } from "../../src/compose/parse-yaml.js";
import { sourceAt } from "../../src/compose/source-map.js";

const codes = (text: string) => parseComposeYaml(text, "compose.yml").diagnostics.map((d) => d.code);

test("each of 10,000 aliases reads the last anchor of its name written before it", () => {
  let text = "services:\n  web:\n    image: app\n    command:\n";
  for (let i = 0; i < 10_000; i++) {
    // the anchor is written again every 100 aliases; each alias must see the latest one
    if (i % 100 === 0) text += `      - &v v${i / 100}\n`;
    else text += "      - *v\n";
  }
  const { value, diagnostics } = parseComposeYaml(text, "compose.yml");
  assert.deepEqual(diagnostics, []);
  const command = (value as any).services.web.command as string[];
  assert.equal(command.length, 10_000);
  assert.equal(command[1], "v0");
  assert.equal(command[199], "v1");
  assert.equal(command[9_999], "v99");
  assert.equal(sourceAt(value, ["services", "web", "command", 9_999])?.line, 5 + 9_999, "an aliased item is where its alias is written");
});

test("the alias budget counts what the aliases expand to: a long string repeated a thousand times is ALIAS_LIMIT", () => {
  const long = "x".repeat(100_000);
  const text = `x-long: &long "${long}"\nservices:\n  web:\n    image: app\n    command: [${Array(1_000).fill("*long").join(", ")}]\n`;
  const { value, diagnostics } = parseComposeYaml(text, "compose.yml");
  assert.equal(value, undefined);
  assert.deepEqual(diagnostics.map((d) => d.code), ["ALIAS_LIMIT"]);
  assert.equal(diagnostics[0]!.at?.line, 5, "the finding points at the alias that went over the budget");
  assert.match(diagnostics[0]!.message, /^the alias \*long expands this file to more than \d+ MB/);
});

test("the same string aliased a few hundred times, as legitimate files do, is read", () => {
  const text = `x-env: &env {A: "${"a".repeat(2_000)}"}\nservices:\n${Array.from({ length: 500 }, (_, i) => `  s${i}: {image: app, environment: *env}\n`).join("")}`;
  assert.deepEqual(codes(text), []);
});

test("broken YAML: each error once, at most 100 of them, then one line that counts the rest", () => {
  let text = "services:\n";
  while (text.length < 20_000) text += '  s: [a, {b: "c\n  - d: : e\n';
  const { value, diagnostics } = parseComposeYaml(text, "compose.yml");
  assert.equal(value, undefined);
  assert.equal(diagnostics.length, 101);
  const places = diagnostics.slice(0, 100).map((d) => `${d.at?.line}:${d.at?.col}:${d.message}`);
  assert.equal(new Set(places).size, 100, "no finding is repeated");
  const summary = diagnostics[100]!;
  assert.equal(summary.code, "YAML_SYNTAX");
  assert.match(summary.message, /^\d+ more YAML errors after this one are not shown$/);
  assert.ok(Number(/^\d+/.exec(summary.message)![0]) > 100);
});

test("a file with a few errors lists them all and no summary", () => {
  const { diagnostics } = parseComposeYaml("services:\n  app:\n    image: example/app:1\n    environment:\n      - A=1\n     - B=2\n", "compose.yml");
  assert.deepEqual(diagnostics.map((d) => d.code), ["YAML_SYNTAX", "YAML_SYNTAX", "YAML_SYNTAX"]);
  assert.ok(!diagnostics.some((d) => /not shown/.test(d.message)));
});
