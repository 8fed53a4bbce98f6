/** Everything a command touches outside itself, passed in so tests can drive the CLI in-process. */
export interface CliIO {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  /** Reads all of standard input (for `-`). */
  readStdin(): Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
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
