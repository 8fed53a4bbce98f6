import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parse } from "yaml";
import { writeYamlMapping, writeYamlValue } from "../../src/yaml/write-yaml.js";
import { stackConfig, stackConfigUnavailable } from "../stack/support.js";

/** Strings built from the pieces that trip YAML readers: indicators, number and boolean look-alikes, line breaks. */
const trickyString = fc.oneof(
  fc.string(),
  fc.constantFrom("on", "off", "yes", "No", "y", "~", "null", "=", "<<", "0755", "0x1F", "0o17", "1_000", "1e3", ".5", "-.inf", ".NaN",
    "1:20", "2001-12-14", "10s", "512m", "--logs", "- x", "-", "? x", ": x", "a: b", "a #b", "#x", "'q'", "\"q\"", "|", ">", "*a", "&a",
    "!tag", "%x", "@x", "`x`", "[a]", "{a}", "a,b", " lead", "trail ", "\ttab", "multi\nline\n", "multi\nline", "multi\n\n\n", "\nlead",
    "  indented\nblock\n", "crlf\r\nx", "ümlaut", "del\x7f", "nel\x85x", "bom\ufeff", "---", "...", "$HOME", "$$x", "a\\b", "http://x:1/"),
  fc.array(fc.constantFrom("a", " ", ":", "#", "-", "\n", "0", "1", ".", "'", "\"", "e", "x", "y", "n", "\t", "_", "{", "%"), { maxLength: 8 }).map((p) => p.join("")),
);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small" }, trickyString, fc.integer(), fc.boolean(), fc.constant(null), tie("list"), tie("map")),
  list: fc.array(tie("node"), { maxLength: 4 }),
  map: fc.dictionary(trickyString, tie("node"), { maxKeys: 4 }),
})).node;

const document = fc.dictionary(trickyString, value, { maxKeys: 6 });

describe("the stack YAML writer", () => {
  it("writes what YAML 1.1 and YAML 1.2 readers both read back unchanged", () => {
    fc.assert(
      fc.property(document, (doc) => {
        const text = writeYamlMapping(doc);
        const expected = JSON.parse(JSON.stringify(doc));
        assert.deepEqual(parse(text, { version: "1.1", uniqueKeys: false }) ?? {}, expected, text);
        assert.deepEqual(parse(text, { version: "1.2", uniqueKeys: false }) ?? {}, expected, text);
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps a key named __proto__ when sorting keys", () => {
    const v = JSON.parse('{"b": 1, "__proto__": {"x": "y"}}');
    assert.deepEqual(parse(writeYamlValue(v, { sortKeys: true })), v);
  });

  it("writes any root value (mapping, sequence, scalar) that reads back unchanged", () => {
    fc.assert(
      fc.property(value, (v) => {
        const text = writeYamlValue(v, { sortKeys: true });
        assert.deepEqual(parse(text, { version: "1.1", uniqueKeys: false }), JSON.parse(JSON.stringify(v ?? null)), text);
      }),
      { numRuns: 1000 },
    );
  });

  it("the Docker CLI reads label values exactly as written", { skip: stackConfigUnavailable() }, () => {
    const labels: Record<string, string> = {};
    // Left out: "$" (docker interpolates it; write.ts doubles it), control characters (not label material), and
    // a leading line break, which docker stack config's own YAML printer drops when it prints the result.
    const usable = (s: string) => !s.includes("$") && !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(s) && !s.startsWith("\n");
    fc.sample(trickyString.filter(usable), { numRuns: 300, seed: 7 })
      .forEach((text, i) => (labels[`l${i}`] = text));
    const text = writeYamlMapping({ version: "3.9", services: { s: { image: "x", labels } } });
    const result = stackConfig(text);
    assert.ok(result.ok, result.output);
    const read = parse(result.output) as { services: { s: { labels: Record<string, string> } } };
    assert.deepEqual(read.services.s.labels, labels);
  });
});
