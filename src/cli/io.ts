import { writeSync } from "node:fs";

/** Everything a command touches outside itself, passed in so tests can drive the CLI in-process. */
export interface CliIO {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  /** Reads all of standard input (for `-`). */
  readStdin(): Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The process streams the CLI's output went through: only they can hold output still queued. */
const writtenStreams = new Set<NodeJS.WriteStream>();

/**
 * True while output is queued for a slow reader. Asks only the streams the
 * output went through: creating process.stdout to ask would load node's
 * streams for a command that wrote with directOutput.
 */
export function outputQueued(): boolean {
  for (const stream of writtenStreams) if (stream.writableLength > 0) return true;
  return false;
}

/**
 * A process stream whose reader may go away (`podlike convert | head -1`):
 * the EPIPE that follows is the reader's choice, not a failure, so it ends
 * the output quietly. The command still finishes with its own exit code; a
 * command that keeps writing (a follower) ends at its next write.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream): { write(chunk: string | Uint8Array): unknown; isTTY?: boolean } {
  writtenStreams.add(stream);
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    closed = true;
  });
  return {
    get isTTY() {
      return stream.isTTY;
    },
    write(chunk: string | Uint8Array) {
      if (closed) process.exit(process.exitCode ?? 0);
      return stream.write(chunk);
    },
  };
}

/**
 * Standard output or error written with write(2) on its descriptor, as Node
 * writes files and, on Linux, pipes and terminals: the same bytes in the same
 * order, without creating process.stdout, whose socket loads twenty stream
 * modules, a tenth of a small lint's start-up. A descriptor that cannot take
 * the whole chunk at once (EAGAIN: a non-blocking pipe that is full) or fails
 * otherwise hands this chunk's rest and every later one to the process
 * stream, which waits or reports as it always did; a reader that went away
 * (EPIPE) ends the output quietly, as quietOnClosedPipe does.
 */
export function directOutput(fd: 1 | 2, stream: () => NodeJS.WriteStream): CliIO["stdout"] {
  let fallback: ReturnType<typeof quietOnClosedPipe> | undefined;
  let closed = false;
  return {
    get isTTY() {
      return stream().isTTY;
    },
    write(chunk: string) {
      if (closed) process.exit(process.exitCode ?? 0);
      if (fallback) return fallback.write(chunk);
      const bytes = Buffer.from(chunk, "utf8");
      let done = 0;
      try {
        while (done < bytes.length) done += writeSync(fd, bytes, done);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EPIPE") {
          closed = true;
          return true;
        }
        fallback = quietOnClosedPipe(stream());
        return fallback.write(bytes.subarray(done));
      }
    },
  };
}

/**
 * The process's own I/O. `direct` writes standard output and error with
 * directOutput: for a command that writes its result and ends (lint), not for
 * those that stream for long (logs, the controller), whose writes must not
 * block the event loop behind a slow reader.
 */
export function processIO({ direct = false }: { direct?: boolean } = {}): CliIO {
  return {
    stdout: direct ? directOutput(1, () => process.stdout) : quietOnClosedPipe(process.stdout),
    stderr: direct ? directOutput(2, () => process.stderr) : quietOnClosedPipe(process.stderr),
    env: process.env,
    cwd: process.cwd(),
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}

/** True when colour must be off: NO_COLOR set and non-empty (no-color.org), or --no-color. */
export function colorDisabled(io: CliIO, flag?: boolean): boolean {
  if (flag === false) return true;
  const noColor = io.env.NO_COLOR;
  return noColor !== undefined && noColor !== "";
}
