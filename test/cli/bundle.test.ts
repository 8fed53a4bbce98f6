import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The bundled CLI as installed (bin/podlike, dist/bundle/main.cjs): the
 * full YAML reader is a package the bundle evaluates on its first use only.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const built = existsSync(join(root, "dist", "bundle", "main.cjs"));

function podlike(args: string[], input: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [join(root, "bin", "podlike"), ...args], { input, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
}

describe("the bundled CLI", { skip: built ? undefined : "not built" }, () => {
  it("reports a duplicate key with the full reader, which it loads on first use", () => {
    const run = podlike(["convert", "-"], "services:\n  web:\n    image: a\n  web:\n    image: b\n");
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^<stdin>:4:3: error: duplicate key "web": this mapping already has it \[DUPLICATE_KEY\]/);
  });

  it("lint reads rare YAML with the full reader, which lint.cjs loads from yaml.cjs on first use", () => {
    const run = podlike(["lint", "-"], "services:\n  web:\n    image: a\n  web:\n    image: b\n");
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^<stdin>:4:3: error: duplicate key "web": this mapping already has it \[DUPLICATE_KEY\]/);
  });

  it("lint's other forms run in the full CLI: help, and the options lint.cjs leaves to commander", () => {
    const help = podlike(["lint", "--help"], "");
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: podlike lint \[options\] \[files\.\.\.\]/);
    const strict = podlike(["lint", "--max-warnings", "0", "-"], "services:\n  web:\n    image: a\n    hostname: web\nx-pods:\n  app:\n    components: [web]\n");
    assert.equal(strict.status, 1, strict.stdout + strict.stderr);
    assert.match(strict.stderr, /more than --max-warnings 0/);
  });

  it("converts a pod", () => {
    const run = podlike(["convert", "-"], "services:\n  web:\n    image: a\n  log:\n    image: b\nx-pods:\n  app:\n    components: [web, log]\n");
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^ {2}app:$/m);
    assert.match(run.stdout, /pod\.component\.web/);
  });
});
