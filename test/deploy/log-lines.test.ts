import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { formatLine, lastLines, readLogLine, sinceValue } from "../../src/deploy/log-lines.js";
import { unreadableReason } from "../../src/deploy/pod-logs.js";
import { UsageError } from "../../src/diagnostics/errors.js";

describe("podlike logs: reading a controller's service logs", () => {
  test("a component line keeps its name, text and nanosecond time; the controller's own lines and other components are left out", () => {
    const { line } = readLogLine("2026-11-29T10:00:01.000000042Z alpha | a | b", "web", "stdout");
    assert.deepEqual(line && { ...line, at: String(line.at) }, { at: "1795946401000000042", time: "2026-11-29T10:00:01.000000042Z", pod: "web", component: "alpha", text: "a | b", stream: "stdout" });
    const own = readLogLine("2026-11-29T10:00:01Z podlike: controller web starting 2 component(s)", "web", "stderr");
    assert.equal(own.line, undefined);
    assert.equal(own.at, 1795946401000000000n);
    assert.equal(readLogLine("2026-11-29T10:00:01Z beta | hi", "web", "stdout", "alpha").line, undefined);
  });

  test("--tail keeps the newest lines in time order; --timestamps and the pod prefix", () => {
    const at = (s: number) => readLogLine(`2026-11-29T10:00:0${s}Z alpha | line ${s}`, "web", "stdout").line!;
    const lines = [at(3), at(1), at(2)];
    assert.deepEqual(lastLines(lines, 2).map((l) => l.text), ["line 2", "line 3"]);
    assert.deepEqual(lastLines(lines, 0), []);
    assert.equal(lastLines(lines, undefined).length, 3);
    assert.equal(formatLine(at(1), { timestamps: true, showPod: true }), "2026-11-29T10:00:01Z web/alpha | line 1\n");
    assert.equal(formatLine(at(1), { timestamps: false, showPod: false }), "alpha | line 1\n");
  });

  test("--since takes durations, RFC 3339 times and Unix seconds; anything else is a usage error", () => {
    const now = Date.parse("2026-11-29T10:00:00Z");
    assert.equal(sinceValue("1h30m", now), String(now / 1000 - 5400) + ".000");
    assert.equal(sinceValue("2026-11-29T09:00:00Z", now), String(now / 1000 - 3600) + ".000");
    assert.equal(sinceValue("1764403200", now), "1764403200");
    assert.throws(() => sinceValue("yesterday", now), UsageError);
  });

  test("a pod without --logs, or with a logging driver the engine cannot read, is unreadable with the fix", () => {
    const spec = (args: string[], driver?: string) => ({ TaskTemplate: { ContainerSpec: { Args: args }, ...(driver ? { LogDriver: { Name: driver } } : {}) } });
    assert.match(unreadableReason(spec([]), "web")!.hint, /x-pods\.web\.controller\.logs: true/);
    assert.equal(unreadableReason(spec(["-logs"]), "web"), undefined);
    assert.equal(unreadableReason(spec(["--logs"], "local"), "web"), undefined);
    assert.match(unreadableReason(spec(["--logs"], "syslog"), "web")!.message, /"syslog" logging driver/);
  });
});
