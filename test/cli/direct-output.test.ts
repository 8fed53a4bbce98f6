import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * directOutput writes standard output with write(2) and hands over to
 * process.stdout when the descriptor cannot take a chunk: what the reader
 * gets is the same bytes in the same order either way.
 */
const TSX = import.meta.resolve("tsx");
const IO = fileURLToPath(new URL("../../src/cli/io.ts", import.meta.url));

/** Runs `script` (which gets `directOutput`) and reads its standard output only after `delayMs`. */
function readLate(script: string, delayMs: number): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  const program = `import { directOutput } from ${JSON.stringify(IO)};\n${script}`;
  const child = spawn(process.execPath, ["--import", TSX, "--input-type=module", "-e", program], { stdio: ["ignore", "pipe", "pipe"] });
  const out: Buffer[] = [];
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  child.stdout.pause();
  setTimeout(() => {
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stdout.resume();
  }, delayMs);
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out), stderr })));
}

test("a chunk larger than a full non-blocking pipe arrives whole and in order", async () => {
  // creating process.stdout makes the pipe non-blocking, so write(2) meets EAGAIN once 64 KB wait unread
  const run = await readLate(
    `process.stdout;
     const out = directOutput(1, () => process.stdout);
     out.write("first\\n");
     out.write("é".repeat(300_000) + "\\n");
     out.write("last\\n");`,
    300,
  );
  assert.equal(run.stderr, "");
  assert.equal(run.code, 0);
  const text = run.stdout.toString("utf8");
  assert.equal(text, "first\n" + "é".repeat(300_000) + "\nlast\n");
});

test("a blocking pipe is written whole without creating process.stdout", async () => {
  const run = await readLate(
    `const out = directOutput(1, () => { throw new Error("process.stdout was needed"); });
     out.write("x".repeat(200_000));
     out.write("\\nend\\n");`,
    200,
  );
  assert.equal(run.stderr, "");
  assert.equal(run.code, 0);
  assert.equal(run.stdout.toString("utf8"), "x".repeat(200_000) + "\nend\n");
});
