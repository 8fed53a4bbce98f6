/** `podlike ...args` in this process, both streams captured, colour off. */
import { main } from "../../src/cli/main.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runPodlike(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: async () => "",
    env: { ...(options.env ?? process.env), NO_COLOR: "1" },
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}
