import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { interpolateString } from "../../src/compose/interpolate.js";
import { codes, load } from "./support.js";

const vars: Record<string, string> = { SET: "value", EMPTY: "", B: "bee" };
const lookup = (name: string) => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined);

test("interpolation: every form Compose knows", () => {
  const table: [string, string][] = [
    ["$SET", "value"],
    ["${SET}", "value"],
    ["a${SET}b", "avalueb"],
    ["$SET.x", "value.x"],
    ["${UNSET:-d}", "d"],
    ["${EMPTY:-d}", "d"],
    ["${SET:-d}", "value"],
    ["${UNSET-d}", "d"],
    ["${EMPTY-d}", ""],
    ["${SET:+alt}", "alt"],
    ["${EMPTY:+alt}", ""],
    ["${EMPTY+alt}", "alt"],
    ["${UNSET+alt}", ""],
    ["${UNSET:-${B:-x}}", "bee"],
    ["${UNSET:-${ALSO_UNSET:-x}}", "x"],
    ["${UNSET:-a b c}", "a b c"],
    ["$$SET", "$SET"],
    ["$${SET}", "${SET}"],
    ["cost: 5$", "cost: 5$"],
    ["$1 and $ alone", "$1 and $ alone"],
    ["${SET:?must be set}", "value"],
  ];
  for (const [input, expected] of table) {
    const result = interpolateString(input, lookup);
    assert.equal(result.value, expected, input);
    assert.deepEqual(result.problems, [], input);
  }
});

test("interpolation problems: unset, required, malformed", () => {
  assert.deepEqual(interpolateString("x${NOPE}y", lookup).problems.map((p) => [p.code, p.variable]), [["UNSET_VARIABLE", "NOPE"]]);
  assert.equal(interpolateString("x${NOPE}y", lookup).value, "xy");
  const required = interpolateString("${EMPTY:?set EMPTY to a name}", lookup).problems;
  assert.deepEqual(required.map((p) => p.code), ["REQUIRED_VARIABLE"]);
  assert.match(required[0]!.message, /EMPTY.*set EMPTY to a name/);
  assert.deepEqual(interpolateString("${EMPTY?x}", lookup).problems, []);
  assert.deepEqual(interpolateString("${UNSET?gone}", lookup).problems.map((p) => p.code), ["REQUIRED_VARIABLE"]);
  for (const bad of ["${", "${SET", "${}", "${1A}", "${A B}", "${SET:}"]) {
    assert.deepEqual(interpolateString(bad, lookup).problems.map((p) => p.code), ["INTERPOLATION"], bad);
  }
});

test("property: strings without $ come out unchanged", () => {
  fc.assert(
    fc.property(fc.string().filter((s) => !s.includes("$")), (s) => {
      const result = interpolateString(s, () => "X");
      assert.equal(result.value, s);
      assert.deepEqual(result.problems, []);
    }),
  );
});

test("a missing variable is a warning at the value's line and column, substituted by nothing", async () => {
  const { raw, diagnostics } = await load("services:\n  web:\n    image: busybox\n    command: echo ${GREETING}\n");
  assert.equal(raw!.services.web.command, "echo ");
  assert.deepEqual(codes(diagnostics), ["UNSET_VARIABLE"]);
  const d = diagnostics[0]!;
  assert.equal(d.severity, "warning");
  assert.match(d.message, /GREETING/);
  assert.deepEqual([d.at?.line, d.at?.col], [4, 19], "the column of the $");
  assert.deepEqual(d.path, ["services", "web", "command"]);

  const quoted = await load('services:\n  web:\n    image: "app:${TAG}"\n    command: >-\n      echo\n      ${OTHER}\n');
  assert.deepEqual(quoted.diagnostics.map((x) => [x.message.match(/"(\w+)"/)?.[1], x.at?.line, x.at?.col]), [["TAG", 3, 17], ["OTHER", 4, 14]]);
});

test("an unset variable is reported once, however often it is used", async () => {
  const { diagnostics } = await load("services:\n  a:\n    image: ${X}\n  b:\n    image: ${X}\n");
  assert.deepEqual(codes(diagnostics), ["UNSET_VARIABLE"]);
});

test("interpolated values become numbers and booleans where Compose expects them", async () => {
  const { raw } = await load(
    "services:\n  web:\n    image: app:${N}\n    init: ${YES}\n    deploy: {replicas: '${N}'}\n    ports: [{target: '${N}0', published: '${N}'}]\n    labels: {n: '${N}'}\n",
    {},
    { env: { N: "3", YES: "true" } },
  );
  const web = raw!.services.web;
  assert.equal(web.image, "app:3");
  assert.equal(web.init, true);
  assert.equal(web.deploy.replicas, 3);
  assert.deepEqual(web.ports, [{ target: 30, published: "3" }]);
  assert.deepEqual(web.labels, { n: "3" });
});

test("${VAR:?message} unset is an error carrying the user's message", async () => {
  const { diagnostics } = await load("services:\n  web:\n    image: ${TAG:?set TAG to the release}\n");
  assert.deepEqual(codes(diagnostics), ["REQUIRED_VARIABLE"]);
  assert.equal(diagnostics[0]!.severity, "error");
  assert.match(diagnostics[0]!.message, /set TAG to the release/);
  assert.equal(diagnostics[0]!.at?.line, 3);
});

test("a malformed ${ is an INTERPOLATION error that suggests $$", async () => {
  const { diagnostics } = await load("services:\n  web:\n    image: busybox\n    command: echo ${oops\n");
  assert.deepEqual(codes(diagnostics), ["INTERPOLATION"]);
  assert.match(diagnostics[0]!.hint!, /\$\$/);
  assert.equal(diagnostics[0]!.at?.line, 4);
});

test("keys are kept as written, values in extensions and lists are substituted", async () => {
  const { raw } = await load("services:\n  web:\n    image: busybox:${TAG}\n    labels:\n      ${KEY}: ${VALUE}\n    ports: ['${PORT}:80']\nx-notes:\n  who: ${TAG}\n", {}, {
    env: { TAG: "1.36", KEY: "k", VALUE: "v", PORT: "8080" },
  });
  assert.equal(raw!.services.web.image, "busybox:1.36");
  assert.deepEqual(raw!.services.web.labels, { "${KEY}": "v" });
  assert.deepEqual(raw!.services.web.ports, ["8080:80"]);
  assert.equal(raw!["x-notes"].who, "1.36");
});

test("variables: the environment wins over .env, --env-file files apply in order", async () => {
  const yaml = "services:\n  web:\n    image: ${IMAGE}\n    command: ${CMD:-none}\n";
  const dotEnv = { ".env": "IMAGE=from-dotenv\nCMD=dot\n" };
  assert.equal((await load(yaml, dotEnv)).raw!.services.web.image, "from-dotenv");
  assert.equal((await load(yaml, dotEnv, { env: { IMAGE: "from-env" } })).raw!.services.web.image, "from-env");
  const withFiles = await load(yaml, { ...dotEnv, "a.env": "IMAGE=a\nCMD=a\n", "b.env": "IMAGE=b\n" }, { envFiles: ["a.env", "b.env"] });
  assert.equal(withFiles.raw!.services.web.image, "b");
  assert.equal(withFiles.raw!.services.web.command, "a", "named env files replace .env");
  assert.deepEqual(withFiles.value!.variables, { IMAGE: "b", CMD: "a" });
  const nothing = await load(yaml);
  assert.equal(nothing.raw!.services.web.image, "");
  assert.deepEqual(codes(nothing.diagnostics), ["UNSET_VARIABLE"]);
});

test("a missing --env-file is a usage problem", async () => {
  const { value, diagnostics } = await load("services: {}\n", {}, { envFiles: ["nope.env"] });
  assert.equal(value, undefined);
  assert.deepEqual(codes(diagnostics), ["FILE_NOT_FOUND"]);
});
