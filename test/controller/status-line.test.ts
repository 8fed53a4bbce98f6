import { test } from "node:test";
import assert from "node:assert/strict";
import { createStatusPublisher, formatStatusLine, parseStatusLine, STATUS_MARKER } from "../../src/controller/status-line.js";

const state = { status: "unhealthy" as const, components: { app: "healthy", db: "exited (3)" }, updated: "2026-11-29T10:00:00.000Z" };

test("a status line read back, as the logs endpoint returns it (timestamp and task details first), gives the state written", () => {
  const line = formatStatusLine(state);
  assert.ok(line.endsWith("\n") && !line.slice(0, -1).includes("\n"), "one line");
  const read = parseStatusLine(`2026-11-29T10:00:01.5Z com.docker.swarm.task.id=abc ${line.trimEnd()}`);
  assert.deepEqual(read, state);
});

test("component output, a damaged line and a newer format are not taken for a status", () => {
  assert.equal(parseStatusLine("app | listening on 8080"), undefined);
  assert.equal(parseStatusLine(`${STATUS_MARKER}{"v":1,"status":"healthy"`), undefined);
  assert.equal(parseStatusLine(`${STATUS_MARKER}{"v":2,"status":"healthy","components":{},"updated":"x"}`), undefined);
  assert.equal(parseStatusLine(`${STATUS_MARKER}{"v":1,"status":"healthy","components":[],"updated":"x"}`), undefined);
});

test("the publisher writes each change at once and repeats the latest state until stopped", async () => {
  const lines: string[] = [];
  const publisher = createStatusPublisher((line) => lines.push(line), 20);
  publisher.publish(state);
  assert.equal(lines.length, 1);
  await new Promise((resolve) => setTimeout(resolve, 90));
  publisher.stop();
  const written = lines.length;
  assert.ok(written >= 2, `repeated (${written} lines)`);
  assert.ok(lines.every((l) => parseStatusLine(l)?.status === "unhealthy"));
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(lines.length, written, "nothing after stop");
});
