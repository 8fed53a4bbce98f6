/**
 * --logs: each component's output on the controller's own stdout/stderr,
 * every line prefixed with the component's name. Without a TTY the engine
 * multiplexes both streams into frames (8-byte header: stream type, 3 zero
 * bytes, big-endian payload length); a line may be split across frames and
 * frames across chunks, so both are reassembled.
 */
import type { Readable } from "node:stream";

export interface LogSink {
  write(chunk: string): unknown;
}

export interface Frame {
  /** 1 stdout, 2 stderr (0, stdin, is shown as stdout). */
  stream: number;
  payload: Buffer;
}

/** Splits a multiplexed byte stream into frames, keeping partial frames between chunks. */
export class FrameDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      frames.push({ stream: this.pending[0]!, payload: this.pending.subarray(8, 8 + size) });
      this.pending = this.pending.subarray(8 + size);
    }
    return frames;
  }
}

/** Complete lines out of a byte stream; an unfinished line waits for its end (or flush). */
export class LineAssembler {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const lines: string[] = [];
    let start = 0;
    let newline: number;
    while ((newline = data.indexOf(10, start)) >= 0) {
      lines.push(data.subarray(start, newline).toString("utf8").replace(/\r$/, ""));
      start = newline + 1;
    }
    this.pending = Buffer.from(data.subarray(start));
    return lines;
  }

  flush(): string | undefined {
    if (!this.pending.length) return undefined;
    const rest = this.pending.toString("utf8");
    this.pending = Buffer.alloc(0);
    return rest;
  }
}

/** Copies one component's log stream to the sinks until it ends. */
export function pipeComponentLogs(name: string, stream: Readable, tty: boolean, out: { stdout: LogSink; stderr: LogSink }): Promise<void> {
  const prefix = `${name} | `;
  const demuxer = new FrameDemuxer();
  const lines = { stdout: new LineAssembler(), stderr: new LineAssembler() };
  const emit = (which: "stdout" | "stderr", text: string[]) => {
    if (text.length) out[which].write(text.map((line) => prefix + line + "\n").join(""));
  };
  const onData = (chunk: Buffer) => {
    if (tty) {
      emit("stdout", lines.stdout.push(chunk));
      return;
    }
    for (const frame of demuxer.push(chunk)) {
      const which = frame.stream === 2 ? "stderr" : "stdout";
      emit(which, lines[which].push(frame.payload));
    }
  };
  return new Promise((resolve) => {
    const finish = () => {
      for (const which of ["stdout", "stderr"] as const) {
        const rest = lines[which].flush();
        if (rest !== undefined) emit(which, [rest]);
      }
      resolve();
    };
    stream.on("data", onData);
    stream.on("end", finish);
    stream.on("close", finish);
    stream.on("error", finish);
  });
}
