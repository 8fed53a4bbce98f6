import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { parseEnvFile, readServiceEnvironment } from "../../src/compose/env-file.js";
import { codes, folderWith, load } from "./support.js";

test("env files: comments, export, quotes, inline comments, empty values, interpolation", () => {
  const text = [
    "# a comment",
    "",
    "PLAIN=value",
    "export EXPORTED=yes",
    "SPACED = around ",
    "INLINE=abc # a comment",
    "HASH=abc#def",
    "EMPTY=",
    "SINGLE='literal ${PLAIN} \\n'",
    'DOUBLE="line1\\nline2 ${PLAIN} \\"q\\""',
    'MULTI="first',
    'second"',
    "REF=${PLAIN}-x",
    "FROM_ENV=${HOME_DIR}",
    "DOLLAR=$$PLAIN",
    "BARE_SET",
    "BARE_UNSET",
    "QUOTED_COMMENT='a' # trailing",
  ].join("\n");
  assert.deepEqual(parseEnvFile(text, { HOME_DIR: "/home/u", BARE_SET: "from-env" }), {
    PLAIN: "value",
    EXPORTED: "yes",
    SPACED: "around",
    INLINE: "abc",
    HASH: "abc#def",
    EMPTY: "",
    SINGLE: "literal ${PLAIN} \\n",
    DOUBLE: 'line1\nline2 value "q"',
    MULTI: "first\nsecond",
    REF: "value-x",
    FROM_ENV: "/home/u",
    DOLLAR: "$PLAIN",
    BARE_SET: "from-env",
    QUOTED_COMMENT: "a",
  });
  assert.deepEqual(parseEnvFile("A=1\r\nB=2\r\n"), { A: "1", B: "2" });
});

test("service environment: env_file in order, then environment on top, bare names from the variables", () => {
  const dir = folderWith({ "a.env": "A=1\nB=1\nC=1\n", "b.env": "B=2\n" });
  const service = {
    env_file: [join(dir, "a.env"), join(dir, "b.env"), { path: join(dir, "optional.env"), required: false }],
    environment: ["C=3", "D", "E"],
  };
  const { environment, diagnostics } = readServiceEnvironment(service, { D: "from-variables" });
  assert.deepEqual(environment, { A: "1", B: "2", C: "3", D: "from-variables", E: null });
  assert.deepEqual(diagnostics, []);
});

test("service environment: a missing required env_file is an ENV_FILE error", () => {
  const { diagnostics } = readServiceEnvironment({ env_file: "/nonexistent/podlike.env" }, {}, ["services", "web"]);
  assert.deepEqual(codes(diagnostics), ["ENV_FILE"]);
  assert.match(diagnostics[0]!.message, /services\.web/);
});

test("loading: relative env_file paths become absolute; missing ones are reported at their line unless required: false", async () => {
  const { raw, diagnostics, dir } = await load(
    "services:\n  web:\n    image: busybox\n    env_file:\n      - ./present.env\n      - path: ./optional.env\n        required: false\n      - ./missing.env\n",
    { "present.env": "A=1\n" },
  );
  assert.deepEqual(raw!.services.web.env_file, [join(dir, "present.env"), { path: join(dir, "optional.env"), required: false }, join(dir, "missing.env")]);
  assert.deepEqual(codes(diagnostics), ["ENV_FILE"]);
  assert.deepEqual([diagnostics[0]!.at?.line, diagnostics[0]!.at?.col], [8, 9]);
  assert.deepEqual(diagnostics[0]!.path, ["services", "web", "env_file", 2]);
});

test("property: any text reads as an env file without throwing, and KEY=plain lines read back", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
      const parsed = parseEnvFile(text, {});
      for (const value of Object.values(parsed)) assert.equal(typeof value, "string");
    }),
    { numRuns: 300 },
  );
  const key = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/);
  const plain = fc.stringMatching(/^[a-z0-9./:@-]{0,20}$/);
  fc.assert(
    fc.property(fc.dictionary(key, plain, { maxKeys: 8 }), (entries) => {
      const text = Object.entries(entries).map(([k, v]) => `${k}=${v}`).join("\n");
      assert.deepEqual(parseEnvFile(text), { ...entries });
    }),
  );
});
