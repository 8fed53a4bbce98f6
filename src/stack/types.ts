/**
 * The converter's output: a plain Compose-shaped object that `docker stack
 * deploy` (and podlike deploy) accepts. Values are final: interpolation is
 * done, and `$` means a literal dollar (write.ts escapes it for YAML output).
 */
export type SwarmService = Record<string, unknown>;

export interface SwarmStack {
  /** 3.9 is the newest format the Docker 20.10 CLI reads; without a version it refuses the file. */
  version: "3.9";
  services: Record<string, SwarmService>;
  networks?: Record<string, unknown>;
  volumes?: Record<string, unknown>;
  configs?: Record<string, unknown>;
  secrets?: Record<string, unknown>;
}

export const STACK_FILE_VERSION = "3.9" as const;
