import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** tsx resolved from this checkout, so the process may run in any folder. */
const TSX = import.meta.resolve("tsx");
const SCRIPT = fileURLToPath(new URL("./podlike-cli.ts", import.meta.url));

export interface ProcessRun {
  /** null when the process was killed (timeout, signal). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * `podlike ...args` in its own process, killed after `timeoutMs`: a command
 * that would block for ever (reading a FIFO) fails the test instead of
 * hanging the run.
 */
export function runPodlikeProcess(args: string[], cwd: string, timeoutMs = 60_000, env: Record<string, string> = {}): ProcessRun {
  const run = spawnSync(process.execPath, ["--import", TSX, SCRIPT, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    encoding: "utf8",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
  });
  return { code: run.status, signal: run.signal, stdout: run.stdout ?? "", stderr: run.stderr ?? "" };
}
