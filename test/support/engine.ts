/**
 * The switch for end-to-end tests. They need a real Docker engine with a
 * single-node Swarm (scripts/engine-up.sh). Without one they are skipped with
 * a reason, never silently; with PODLIKE_E2E=required a missing engine fails.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export const DOCKER = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";

let probed: string | undefined | null = null;

/** Why end-to-end tests cannot run here, or undefined when the engine is ready. */
export function engineUnavailableReason(): string | undefined {
  if (probed !== null) return probed;
  try {
    const state = execFileSync(DOCKER, ["info", "--format", "{{.Swarm.LocalNodeState}}"], {
      encoding: "utf8",
      timeout: 30_000,
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
    probed = state === "active" ? undefined : `the Docker engine is not a Swarm manager (state ${state}); run: npm run engine:up`;
  } catch {
    probed = "no Docker engine reachable; run: npm run engine:up";
  }
  return probed;
}

/**
 * Options for `describe`/`test` of an end-to-end suite: `{ skip: reason }`
 * when there is no engine. With PODLIKE_E2E=required this throws instead,
 * which fails the test file.
 */
export function e2eOptions(): { skip?: string } {
  const reason = engineUnavailableReason();
  if (!reason) return {};
  if (process.env.PODLIKE_E2E === "required") {
    throw new Error(`PODLIKE_E2E=required but ${reason}`);
  }
  return { skip: reason };
}

/** Runs the docker CLI and returns its trimmed stdout. */
export function docker(args: string[], options: { input?: string; allowFail?: boolean; timeout?: number } = {}): string {
  try {
    return execFileSync(DOCKER, args, {
      encoding: "utf8",
      input: options.input,
      timeout: options.timeout ?? 120_000,
      stdio: ["pipe", "pipe", "pipe"],
    }).trim();
  } catch (error) {
    if (options.allowFail) return "";
    const e = error as { stderr?: string; message: string };
    throw new Error(`docker ${args.join(" ")} failed: ${e.stderr || e.message}`);
  }
}

/** The offline test image made by scripts/engine-up.sh. */
export const BUSYBOX = "podlike-test/busybox:latest";

/** A unique name under the prefix every test resource uses. */
export function testName(purpose: string): string {
  return `podliketest-${purpose}-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
}
