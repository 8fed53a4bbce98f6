import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { convertProject } from "../../src/stack/emit.js";
import { CONVERT_FIXTURES, caseArgs, convertCases, runCli, stackConfig, stackConfigUnavailable } from "./support.js";

/**
 * Each folder of fixtures/convert is one case: compose.yml (plus
 * compose.override.yml, .env, env files, or args.txt with the command-line
 * arguments), then either expected/stack.yml (standard output of a convert
 * that succeeds) or expected/exit-code (the exit code of one that must fail,
 * with nothing on standard output), and expected/warnings.txt (standard
 * error with NO_COLOR). A case with neither is an error, not a failure case. Absolute
 * paths of the case folder are written as <fixture>.
 * `UPDATE_GOLDEN=1 node scripts/test.mjs stack/golden` rewrites the expected files.
 */
const update = process.env.UPDATE_GOLDEN === "1";
const PLACEHOLDER = "<fixture>";

const placeholders = (text: string, dir: string) => text.split(dir.replace(/\/$/, "")).join(PLACEHOLDER);

describe("convert golden fixtures", () => {
  const cases = convertCases();

  it("covers the cases of the issue", () => {
    for (const required of [
      "design-example", "proxy-publishes-port", "init-components", "depends-on-conditions", "configs-secrets-modes",
      "shared-volume", "networks-aliases", "deploy-merged", "deploy-conflict", "env-file-inlined", "extends",
      "interpolation-dotenv", "two-files-merged", "outside-services-untouched", "pod-named-like-component", "two-pods", "no-pods",
    ]) assert.ok(cases.includes(required), `fixtures/convert/${required} is missing`);
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = join(CONVERT_FIXTURES, name);
      const run = await runCli(["convert", ...caseArgs(dir)], dir);
      const expectedDir = join(dir, "expected");
      const stackFile = join(expectedDir, "stack.yml");
      const warningsFile = join(expectedDir, "warnings.txt");
      const exitCodeFile = join(expectedDir, "exit-code");
      const stack = placeholders(run.stdout, dir);
      const warnings = placeholders(run.stderr, dir);
      if (update) {
        mkdirSync(expectedDir, { recursive: true });
        if (run.code === 0) {
          writeFileSync(stackFile, stack);
          rmSync(exitCodeFile, { force: true });
        } else {
          rmSync(stackFile, { force: true });
          writeFileSync(exitCodeFile, `${run.code}\n`);
        }
        writeFileSync(warningsFile, warnings);
        return;
      }
      const succeeds = existsSync(stackFile);
      const fails = existsSync(exitCodeFile);
      assert.ok(succeeds !== fails, `${name}: give expected/stack.yml (convert succeeds) or expected/exit-code (it fails), exactly one`);
      const expectedCode = succeeds ? 0 : Number(readFileSync(exitCodeFile, "utf8").trim());
      assert.equal(run.code, expectedCode, `exit code; standard error:\n${run.stderr}`);
      if (succeeds) assert.equal(stack, readFileSync(stackFile, "utf8"));
      else assert.equal(run.stdout, "", "nothing on standard output when convert fails");
      assert.equal(warnings, readFileSync(warningsFile, "utf8"));
    });
  }
});

describe("docker stack config accepts every golden stack", { skip: stackConfigUnavailable() }, () => {
  for (const name of convertCases()) {
    const dir = join(CONVERT_FIXTURES, name);
    const stackFile = join(dir, "expected", "stack.yml");
    if (!existsSync(stackFile)) continue;
    it(name, async () => {
      const yaml = readFileSync(stackFile, "utf8").split(PLACEHOLDER).join(dir.replace(/\/$/, ""));
      const result = stackConfig(yaml);
      assert.ok(result.ok, `docker stack config refused ${name}/expected/stack.yml:\n${result.output}`);

      // The Docker CLI must read the very strings convert meant: labels (the pod.* protocol) and environment.
      const converted = await convertProject({ files: caseArgs(dir).filter((a) => !a.startsWith("-")), cwd: dir, env: {}, paths: "project" });
      if (caseArgs(dir).some((a) => a.startsWith("-"))) return; // cases with flags are compared by the golden test only
      assert.ok(converted.value, "converts");
      const read = parse(result.output) as { services: Record<string, { labels?: Record<string, string>; environment?: Record<string, string | null> }> };
      for (const [service, spec] of Object.entries(converted.value.stack.services)) {
        assert.deepEqual(read.services[service]?.labels ?? {}, (spec.labels as Record<string, string> | undefined) ?? {}, `labels of ${service}`);
        const env = spec.environment as Record<string, string | null> | undefined;
        if (env) {
          const withValues = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== null));
          const readEnv = Object.fromEntries(Object.entries(read.services[service]?.environment ?? {}).filter(([, v]) => v !== null));
          assert.deepEqual(readEnv, withValues, `environment of ${service}`);
        }
      }
    });
  }
});
