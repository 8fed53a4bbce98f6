import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { parseEnvFile, readEnvVariables, readServiceEnvironment } from "../../src/compose/env-file.js";
import { codes, folderWith, load } from "./support.js";

/** The values of an env file as a plain object; the file must parse. */
function read(text: string, lookup?: (name: string) => string | undefined): Record<string, string> {
  const parsed = parseEnvFile(text, lookup);
  assert.equal(parsed.problem, undefined);
  return Object.fromEntries(parsed.values);
}

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
  const outer: Record<string, string> = { HOME_DIR: "/home/u", BARE_SET: "from-env" };
  assert.deepEqual(read(text, (name) => outer[name]), {
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
  assert.deepEqual(read("A=1\r\nB=2\r\n"), { A: "1", B: "2" });
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
      const parsed = parseEnvFile(text);
      for (const value of parsed.values.values()) assert.equal(typeof value, "string");
      if (parsed.problem) assert.ok(parsed.problem.line >= 1 && parsed.problem.col >= 1);
    }),
    { numRuns: 300 },
  );
  const key = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/);
  const plain = fc.stringMatching(/^[a-z0-9./:@-]{0,20}$/);
  fc.assert(
    fc.property(fc.dictionary(key, plain, { maxKeys: 8 }), (entries) => {
      const text = Object.entries(entries).map(([k, v]) => `${k}=${v}`).join("\n");
      assert.deepEqual(read(text), { ...entries });
    }),
  );
});

test("env files as docker compose reads them: KEY: value, shell escapes and octal in double quotes, escaped quote in single quotes", () => {
  assert.deepEqual(read("OPTION_A: 1\nOPTION_B: Foo=bar\nOPTION_C=1:B\n"), { OPTION_A: "1", OPTION_B: "Foo=bar", OPTION_C: "1:B" });
  assert.deepEqual(read('KEY="Z\\aZ\\bZ\\fZ\\nZ\\rZ\\tZ\\vZ\\\\Z\\0123Z"'), { KEY: "Z\x07Z\bZ\fZ\nZ\rZ\tZ\vZ\\ZSZ" });
  // escapes compose does not know stay as written
  assert.deepEqual(read('A="\\x07"\nB="\\u12e4"\nC="\\012"\nD=a\\tb'), { A: "\\x07", B: "\\u12e4", C: "\\012", D: "a\\tb" });
  assert.deepEqual(read("OPTION_K='Let\\'s go!'\nOPTION_D='\\n'"), { OPTION_K: "Let's go!", OPTION_D: "\\n" });
  assert.deepEqual(read('FOO="foo\\$BAR"\nBAR="x\\${FOO}"'), { FOO: "foo$BAR", BAR: "x${FOO}" });
  assert.deepEqual(read("VAR.WITH.DOTS=dots\nVAR-WITH-DASHES=dashes\na[1]=c\nárvíztűrő=tükör"), {
    "VAR.WITH.DOTS": "dots",
    "VAR-WITH-DASHES": "dashes",
    "a[1]": "c",
    "árvíztűrő": "tükör",
  });
});

test("env files: malformed statements are errors at their line and column, as in docker compose", () => {
  const problem = (text: string) => {
    const parsed = parseEnvFile(text);
    assert.ok(parsed.problem, `${JSON.stringify(text)} must be refused`);
    return [parsed.problem.line, parsed.problem.col, parsed.problem.message];
  };
  for (const text of ['KEY="', 'KEY="value', 'KEY="value\\"', "KEY=\"value'", "KEY='", "KEY='value", "KEY='value\\'", "KEY='value\""]) {
    assert.match(String(problem(`A=1\n${text}`)[2]), /unterminated quoted value/);
    assert.deepEqual(problem(`A=1\n${text}`).slice(0, 2), [2, 5]);
  }
  assert.deepEqual(problem("A=1\nlol$wut\n"), [2, 4, 'unexpected character "$" in variable name "lol$wut"']);
  assert.deepEqual(problem("%x=1"), [1, 1, 'unexpected character "%" in variable name "%x=1"']);
  assert.deepEqual(problem('# c\nfoo="\n  a\n"\nINVALID LINE\nzot=qix'), [5, 8, 'variable name "INVALID LINE" cannot contain a space']);
  assert.deepEqual(problem("A=1\nB=${MISSING:?set it first}"), [2, 3, "required variable MISSING is missing a value: set it first"]);
  assert.deepEqual(problem('A=1\nB="x ${MISSING?}"'), [2, 3, "required variable MISSING is missing a value"]);
  assert.deepEqual(problem("B=${A"), [1, 3, 'invalid interpolation format: "${A" has no closing brace']);
  // set, the required variable is no problem
  assert.deepEqual(read("A=1\nB=${A:?set it first}"), { A: "1", B: "1" });
});

test("several env files: a later file's ${VAR} sees the values before it, the environment over all", () => {
  const dir = folderWith({
    "base.env": "ENV_HOSTNAME=localhost\nENV_MY_URL=\"http://${ENV_HOSTNAME}\"\n",
    "override.env": "ENV_HOSTNAME=dev.my-company.com\nENV_MY_URL=\"http://${ENV_HOSTNAME}\"\n",
  });
  const files = [join(dir, "base.env"), join(dir, "override.env")];
  assert.deepEqual(readEnvVariables(files, true, {}), { variables: { ENV_HOSTNAME: "dev.my-company.com", ENV_MY_URL: "http://dev.my-company.com" } });
  assert.deepEqual(readEnvVariables(files, true, { ENV_HOSTNAME: "host.local" }), { variables: { ENV_HOSTNAME: "host.local", ENV_MY_URL: "http://host.local" } });
});

test("service env_file: ${VAR} sees the variables, then the service's environment; a malformed line is an ENV_FILE error in the env file", () => {
  const dir = folderWith({ "a.env": "URL=http://${HOST}:${PORT}\n", "bad.env": "OK=1\nBAD='x\n" });
  const { environment } = readServiceEnvironment({ env_file: [join(dir, "a.env")], environment: { PORT: "80" } }, { HOST: "db" });
  assert.deepEqual({ ...environment }, { URL: "http://db:80", PORT: "80" });
  const { diagnostics } = readServiceEnvironment({ env_file: [join(dir, "bad.env")] }, {}, ["services", "web"]);
  assert.deepEqual(codes(diagnostics), ["ENV_FILE"]);
  assert.deepEqual(diagnostics[0]!.at, { file: join(dir, "bad.env"), line: 2, col: 5 });
  assert.match(diagnostics[0]!.message, /unterminated quoted value 'x .*services\.web/);
});
