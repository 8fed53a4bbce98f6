import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { plainLintOptions } from "../../src/cli/lint-argv.js";
import { buildProgram, RUNNERS } from "../../src/cli/program.js";
import type { CliIO } from "../../src/cli/io.js";

/** The options commander hands `podlike lint` for `argv`, or undefined when it refuses them (or prints help). */
async function commanderLintOptions(argv: string[]): Promise<unknown> {
  let options: unknown;
  const silent = { write: () => true };
  const io: CliIO = { stdout: silent, stderr: silent, env: {}, cwd: "/", readStdin: async () => "" };
  const lint = async () => async (opts: unknown) => {
    options = opts;
    return 0;
  };
  const program = buildProgram(io, () => {}, { ...RUNNERS, lint: lint as unknown as typeof RUNNERS.lint });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch {
    return undefined;
  }
  return options;
}

// file names as users write them, with the characters commander could take for something else
const fileName = fc.oneof(
  fc.constantFrom("-", "compose.yml", "json", "stylish", "lint", "help", "x-pods.yaml", "a b.yml", "dir/compose.yml", "--", "-f", "--no-color", "--format"),
  fc.string({ minLength: 1, maxLength: 8 }),
);
const token = fc.oneof(
  { weight: 4, arbitrary: fileName.map((f) => [f]) },
  { weight: 2, arbitrary: fc.constantFrom("stylish", "json", "github", "sarif", "", "JSON").map((f) => ["--format", f]) },
  { weight: 1, arbitrary: fc.constant(["--no-color"]) },
  { weight: 1, arbitrary: fc.constantFrom(["--format=json"], ["-f", "a.yml"], ["--max-warnings", "0"], ["--help"], ["-h"], ["--env-file", "x"], ["--color"], ["--format"]) },
);

describe("lint's options without commander", () => {
  it("are the options commander gives whenever they are read at all", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 6 }), async (tokens) => {
        const argv = ["lint", ...tokens.flat()];
        const plain = plainLintOptions(argv);
        if (plain === undefined) return;
        assert.deepEqual(plain, await commanderLintOptions(argv), argv.join(" "));
      }),
      { numRuns: 300 },
    );
  });

  it("read files, a known format and --no-color, as a CI job writes them", async () => {
    for (const argv of [["lint"], ["lint", "compose.yml", "-"], ["lint", "--format", "github", "--no-color", "a.yml", "b.yml"]]) {
      const plain = plainLintOptions(argv);
      assert.ok(plain, argv.join(" "));
      assert.deepEqual(plain, await commanderLintOptions(argv));
    }
    assert.deepEqual(plainLintOptions(["lint", "--format", "json", "a.yml"]), { format: "json", color: true, args: ["a.yml"] });
  });

  it("leave to commander what it would refuse, explain or read otherwise", () => {
    for (const argv of [["lint", "--help"], ["lint", "--format", "sarif"], ["lint", "--format"], ["lint", "--format=json"], ["lint", "--", "-x.yml"], ["lint", "-f", "a.yml"], ["convert", "a.yml"], []]) {
      assert.equal(plainLintOptions(argv), undefined, argv.join(" "));
    }
  });
});
