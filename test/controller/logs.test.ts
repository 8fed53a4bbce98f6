import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Readable } from "node:stream";
import { FrameDemuxer, LineAssembler, pipeComponentLogs } from "../../src/controller/logs.js";
import { streamFrame } from "../support/stream-frames.js";

describe("component logs", () => {

  test("frames split across chunks and lines split across frames are reassembled", async () => {
    const bytes = Buffer.concat([streamFrame(1, "hel"), streamFrame(1, "lo\nsecond"), streamFrame(2, "oops\n"), streamFrame(1, " line\n")]);
    // chop the byte stream at awkward places, inside headers too
    const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 13), bytes.subarray(13, 30), bytes.subarray(30)];
    const out = { stdout: [] as string[], stderr: [] as string[] };
    await pipeComponentLogs("app", Readable.from(chunks), false, { stdout: { write: (s: string) => out.stdout.push(s) }, stderr: { write: (s: string) => out.stderr.push(s) } });
    assert.equal(out.stdout.join(""), "app | hello\napp | second line\n");
    assert.equal(out.stderr.join(""), "app | oops\n");
  });

  test("a TTY stream has no frames; an unfinished last line is still printed", async () => {
    const out: string[] = [];
    await pipeComponentLogs("tty", Readable.from([Buffer.from("a\r\nb")]), true, { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => assert.fail("no stderr with a TTY") } });
    assert.equal(out.join(""), "tty | a\ntty | b\n");
  });

  test("the demuxer keeps a partial header", () => {
    const d = new FrameDemuxer();
    const f = streamFrame(2, "xyz");
    assert.deepEqual(d.push(f.subarray(0, 5)), []);
    assert.deepEqual(d.push(f.subarray(5)).map((x) => [x.stream, x.payload.toString()]), [[2, "xyz"]]);
    const l = new LineAssembler();
    // a multi-byte character split between chunks is decoded whole
    const e = Buffer.from("é\n");
    assert.deepEqual(l.push(e.subarray(0, 1)), []);
    assert.deepEqual(l.push(e.subarray(1)), ["é"]);
  });
});
