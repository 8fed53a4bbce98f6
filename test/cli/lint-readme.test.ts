import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli/main.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("README lint example", () => {
  it("shows the output podlike lint really prints", async () => {
    const readme = readFileSync(`${root}README.md`, "utf8");
    const section = /<!-- lint:start -->([\s\S]*?)<!-- lint:end -->/.exec(readme)?.[1];
    assert.ok(section, "README.md has a lint section between <!-- lint:start --> and <!-- lint:end -->");
    const example = /```console\n\$ NO_COLOR=1 bin\/podlike (lint [^\n]*)\n([\s\S]*?)```/.exec(section);
    assert.ok(example, "the lint section has a console example");
    let stdout = "";
    await main(example[1]!.split(" "), {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      env: { NO_COLOR: "1" },
      cwd: root,
      readStdin: async () => "",
    });
    assert.equal(example[2], stdout, "README.md shows stale lint output: paste the command's real output");
  });
});
