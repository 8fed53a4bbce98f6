import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { lintProject } from "../../src/lint/lint.js";

const fixtures = fileURLToPath(new URL("../../fixtures/lint/", import.meta.url));
const samples = readdirSync(fixtures)
  .filter((name) => name.startsWith("valid-") || name.startsWith("pod-"))
  .map((name) => readFileSync(join(fixtures, name, "compose.yml"), "utf8"));

/** Lints text as `podlike lint -` would; must return findings, never throw. */
async function lintText(text: string) {
  const result = await lintProject({ files: ["-"], cwd: tmpdir(), env: {}, readStdin: async () => text });
  assert.ok(Array.isArray(result.diagnostics));
  for (const d of result.diagnostics) {
    assert.equal(typeof d.message, "string");
    // every finding points at the user's text (only "cannot read the input" has no place)
    if (d.code !== "FILE_NOT_FOUND") assert.ok(d.at && d.at.line >= 1 && d.at.col >= 1, `${d.code} ${d.message} has a position`);
    assert.ok(d.hint, `${d.code} ${d.message} says how to fix it`);
  }
  return result;
}

type Tree = unknown;

/** Replaces, removes or adds one entry somewhere in a parsed file. */
function mutate(tree: Tree, choices: number[], replacement: unknown, key: string): Tree {
  if (typeof tree !== "object" || tree === null) return replacement;
  const entries = Array.isArray(tree) ? tree.map((v, i) => [i, v] as const) : Object.entries(tree);
  const choice = choices[0] ?? 0;
  const copy: any = Array.isArray(tree) ? [...tree] : { ...(tree as object) };
  if (entries.length === 0 || choice % 7 === 0) {
    if (Array.isArray(copy)) copy.push(replacement);
    else copy[key] = replacement;
    return copy;
  }
  const [k, v] = entries[choice % entries.length]!;
  if (choice % 7 === 1) {
    if (Array.isArray(copy)) copy.splice(k as number, 1);
    else delete copy[k];
    return copy;
  }
  copy[k] = choices.length > 1 ? mutate(v, choices.slice(1), replacement, key) : replacement;
  return copy;
}

const names = fc.constantFrom("services", "x-pods", "components", "init", "deploy", "ports", "depends_on", "volumes", "image", "build", "web", "app", "replicas", "<<");

describe("lint on arbitrary input", () => {
  it("never throws on arbitrary text", async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => void (await lintText(text))), { numRuns: 150 });
  });

  it("never throws on arbitrary YAML data", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => void (await lintText(stringify(value)))),
      { numRuns: 150 },
    );
  });

  it("never throws on random changes to valid files", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...samples),
        fc.array(fc.nat(50), { minLength: 1, maxLength: 5 }),
        fc.oneof(fc.jsonValue({ maxDepth: 3 }), names, fc.array(names), fc.dictionary(names, fc.jsonValue({ maxDepth: 2 }))),
        names,
        async (text, choices, replacement, key) => {
          const changed = mutate(parse(text, { merge: true }), choices, replacement, key);
          await lintText(stringify(changed));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never throws when the text of a valid file is cut or spliced", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...samples), fc.nat(), fc.nat(40), fc.string({ maxLength: 10 }), async (text, at, length, insert) => {
        const start = at % (text.length + 1);
        await lintText(text.slice(0, start) + insert + text.slice(start + length));
      }),
      { numRuns: 300 },
    );
  });
});
