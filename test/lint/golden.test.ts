import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { lintProject } from "../../src/lint/lint.js";

/**
 * Each folder of fixtures/lint is one case: compose.yml (plus, optionally,
 * compose.override.yml and .env, found as `docker compose` finds them) and
 * expected.json, the findings lint must report. `UPDATE_GOLDEN=1 npm test`
 * rewrites expected.json from what lint reports now; review the diff.
 */
const root = fileURLToPath(new URL("../../fixtures/lint/", import.meta.url));
const update = process.env.UPDATE_GOLDEN === "1";

interface Expected {
  file: string | null;
  line: number | null;
  column: number | null;
  severity: string;
  code: string;
  message: string;
}

const cases = readdirSync(root)
  .filter((name) => statSync(join(root, name)).isDirectory())
  .sort();

describe("lint golden fixtures", () => {
  it("has the cases the rules need", () => {
    assert.ok(cases.filter((c) => c.startsWith("valid-")).length >= 12, "at least a dozen valid files without pods");
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = join(root, name);
      const { diagnostics } = await lintProject({ files: [], cwd: dir, env: {} });
      const actual: Expected[] = diagnostics.map((d) => ({
        file: d.at ? basename(d.at.file) : null,
        line: d.at?.line ?? null,
        column: d.at?.col ?? null,
        severity: d.severity,
        code: d.code,
        message: d.message,
      }));
      if (name.startsWith("valid-")) {
        assert.deepEqual(actual.filter((d) => d.severity === "error"), [], "a valid Compose file without pods lints without errors");
      }
      const expectedFile = join(dir, "expected.json");
      if (update) {
        writeFileSync(expectedFile, JSON.stringify(actual, null, 2) + "\n");
        return;
      }
      assert.ok(existsSync(expectedFile), `${name}/expected.json is missing: run UPDATE_GOLDEN=1 npm test -- lint/golden`);
      assert.deepEqual(actual, JSON.parse(readFileSync(expectedFile, "utf8")));
    });
  }
});
