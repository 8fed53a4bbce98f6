import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parse } from "yaml";
import { readWrittenYaml } from "../../src/yaml/read-written-yaml.js";
import { writeYamlValue } from "../../src/yaml/write-yaml.js";
import { encodeLabels } from "../../src/labels/protocol.js";

/** Strings built from the pieces that trip YAML readers: indicators, number and boolean look-alikes, line breaks. */
const trickyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("on", "yes", "~", "null", "Null", "true", "<<", "__proto__", "constructor", "0755", "0x1F", "0o17", "1_000", "1e3", "e3", ".5", "-.inf", ".NaN",
    "1:20", "2001-12-14", "10s", "--logs", "- x", "-", "? x", ": x", "a: b", "a:b", "a #b", "#x", "'q'", "\"q\"", "|", "|-", ">", "*a", "&a",
    "!tag", "%x", "@x", "[a]", "{a}", "[]", "{}", "a,b", " lead", "trail ", "\ttab", "multi\nline\n", "multi\nline", "multi\n\n\n", "\nlead",
    "  indented\nblock\n", "x\n  indented\n", "crlf\r\nx", "del\x7f", "nel\x85x", "ls\u2028x", "bom\ufeff", "---", "...", "a\\b", "http://x:1/", "\ud800"),
  fc.array(fc.constantFrom("a", " ", ":", "#", "-", "\n", "0", "1", ".", "'", "\"", "e", "|", "\t", "_", "{", "\\", "<"), { maxLength: 8 }).map((p) => p.join("")),
);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small" }, trickyString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), tie("list"), tie("map")),
  list: fc.array(tie("node"), { maxLength: 4 }),
  map: fc.dictionary(trickyString, tie("node"), { maxKeys: 4 }),
})).node;

/** What the controller read before: the full reader, as decodeLabels calls it. */
const fullRead = (text: string): unknown => parse(text, { merge: true, uniqueKeys: true });

describe("reading back what the YAML writer wrote", () => {
  it("gives the full reader's value whenever it reads a text itself, and reads nearly every text the writer writes", () => {
    let read = 0;
    let total = 0;
    fc.assert(
      fc.property(value, (v) => {
        const text = writeYamlValue(v, { sortKeys: true });
        const fast = readWrittenYaml(text);
        total++;
        if (fast === undefined) return;
        read++;
        assert.deepEqual(fast, fullRead(text), text);
        // as a label set by hand, without the final line break
        const bare = text.slice(0, -1);
        const fromBare = readWrittenYaml(bare);
        if (fromBare !== undefined) assert.deepEqual(fromBare, fullRead(bare), bare);
      }),
      { numRuns: 3000 },
    );
    assert.ok(read / total > 0.9, `read ${read} of ${total} written texts`);
  });

  it("reads every label podlike convert writes, as the full reader does", () => {
    const labels = encodeLabels({
      components: {
        api: {
          image: "registry.example.com/api:1.2",
          command: ["sh", "-c", 'echo start\nexec api --port "8080"\n'],
          depends_on: { db: { condition: "service_healthy", required: false } },
          environment: { A: "1", B: "yes", EMPTY: "" },
          healthcheck: { test: ["CMD", "true"], interval: "10s", retries: 3 },
          ports: [{ target: 80, published: 8080 }],
          cpus: 0.5,
          labels: {},
          entrypoint: [],
        },
        db: { image: "postgres:16", stop_grace_period: "1m30s" },
      },
      init: [{ name: "migrate", service: { image: "busybox", command: ["sh", "-c", "echo a\necho 'b: c'"] } }],
      copies: { api: [{ source: "/run/podlike/api/secrets/token", target: "/run/token", mode: 0o440, uid: 1000 }] },
    });
    assert.equal(Object.keys(labels).length, 4);
    for (const text of Object.values(labels)) {
      const fast = readWrittenYaml(text);
      assert.notEqual(fast, undefined, text);
      assert.deepEqual(fast, fullRead(text), text);
    }
  });

  it("reads a label set by hand without a final line break, as the full reader does", () => {
    for (const text of ["image: nginx", "command:\n  - sleep\n  - \"10\"", "- a:b"]) {
      const fast = readWrittenYaml(text);
      assert.notEqual(fast, undefined, text);
      assert.deepEqual(fast, fullRead(text), text);
    }
  });

  it("leaves every other YAML to the full reader", () => {
    const handWritten = [
      "image: nginx # the proxy\n",
      "image: nginx\nimage: httpd\n",
      "base: &b\n  image: x\nother: *b\n",
      "<<: {image: x}\n",
      '"<<": x\n',
      "ports: [80, 443]\n",
      "mode: 0755\n",
      "command: 'sh -c x'\n",
      "text: >\n  folded\n",
      "a: |\n  no final line break",
      "image:\tnginx\n",
      "image: nginx\r\n",
      "env: !reset []\n",
      "a: b\n- c\n",
      "a:\n- b\n",
      "a:   b\n",
      "a: b \n",
      'a: "\\x41"\n',
      "a: |\n\n  lead\n",
      "a: |2\n    x\n",
      "a: |\n  x\n\n",
      "---\na: b\n",
      "",
    ];
    for (const text of handWritten) assert.equal(readWrittenYaml(text), undefined, JSON.stringify(text));
  });
});
