/**
 * Runs `podlike convert` in-process on a fixture folder, and the Docker CLI's
 * `docker stack config`, the reference reader of Swarm stack files.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli/main.js";

export const CONVERT_FIXTURES = fileURLToPath(new URL("../../fixtures/convert/", import.meta.url));

/** The newer Docker CLI has `docker stack config`, which needs no engine. */
export const STACK_CONFIG_CLI = "/usr/local/bin/docker";

export function convertCases(): string[] {
  return readdirSync(CONVERT_FIXTURES)
    .filter((name) => statSync(join(CONVERT_FIXTURES, name)).isDirectory())
    .sort();
}

/** Extra command-line arguments of a case (args.txt, one per line); none means "find the Compose file". */
export function caseArgs(dir: string): string[] {
  const file = join(dir, "args.txt");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").map((l) => l.trim()).filter(Boolean);
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], cwd: string, env: Record<string, string> = {}, stdin = ""): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { NO_COLOR: "1", ...env },
    cwd,
    readStdin: async () => stdin,
  });
  return { code, stdout, stderr };
}

/** Why `docker stack config` cannot run here, or undefined. */
export function stackConfigUnavailable(): string | undefined {
  if (!existsSync(STACK_CONFIG_CLI)) return `${STACK_CONFIG_CLI} (a Docker CLI with "docker stack config") is not installed`;
  return undefined;
}

/** `docker stack config -c <yaml>`: the stack as the Docker CLI reads it, or its complaint. */
export function stackConfig(yaml: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "podlike-stack-"));
  try {
    const file = join(dir, "stack.yml");
    writeFileSync(file, yaml);
    const output = execFileSync(STACK_CONFIG_CLI, ["stack", "config", "-c", file], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir },
      timeout: 30_000,
    });
    return { ok: true, output };
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    return { ok: false, output: e.stderr || e.message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
