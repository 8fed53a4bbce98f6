import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { pauseEntrypoint } from "../../src/controller/sandbox.js";
import { connectLink, newLinkName } from "../../src/controller/pod-link.js";

/** The sandbox's program as images without a C compiler run it, on this machine. */
function idleSandbox(link: string) {
  const [command, ...args] = pauseEntrypoint(undefined, link);
  const child = spawn(command === "node" ? process.execPath : command!, args, { stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited };
}

describe("the controller's link to its sandbox", () => {
  test("the sandbox runs while linked and exits once the controller's end closes", async () => {
    const name = newLinkName();
    const sandbox = idleSandbox(name);
    try {
      const link = await connectLink(name);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(sandbox.child.exitCode, null, "still running while linked");
      link.close();
      assert.equal(await sandbox.exited, 0);
    } finally {
      sandbox.child.kill("SIGKILL");
    }
  });

  test("only one connection is accepted: after the controller's, nothing can link", async () => {
    const name = newLinkName();
    const sandbox = idleSandbox(name);
    try {
      const link = await connectLink(name);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await assert.rejects(connectLink(name, 300), /cannot link to @podlike-link-/);
      link.close();
      await sandbox.exited;
    } finally {
      sandbox.child.kill("SIGKILL");
    }
  });

  test("connecting to a name nobody listens on fails after the timeout, naming the socket", async () => {
    await assert.rejects(connectLink(newLinkName(), 100), /cannot link to @podlike-link-[0-9a-f]+: .*ECONNREFUSED/);
  });
});
