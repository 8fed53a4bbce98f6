/** Everything a command touches outside itself, passed in so tests can drive the CLI in-process. */
export interface CliIO {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  /** Reads all of standard input (for `-`). */
  readStdin(): Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
}

/**
 * A process stream whose reader may go away (`podlike convert | head -1`):
 * the EPIPE that follows is the reader's choice, not a failure, so it ends
 * the output quietly. The command still finishes with its own exit code; a
 * command that keeps writing (a follower) ends at its next write.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream): CliIO["stdout"] {
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    closed = true;
  });
  return {
    get isTTY() {
      return stream.isTTY;
    },
    write(chunk: string) {
      if (closed) process.exit(process.exitCode ?? 0);
      return stream.write(chunk);
    },
  };
}

export function processIO(): CliIO {
  return {
    stdout: quietOnClosedPipe(process.stdout),
    stderr: quietOnClosedPipe(process.stderr),
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
