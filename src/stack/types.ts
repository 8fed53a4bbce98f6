/**
 * The converter's output: a plain Compose-shaped object that `docker stack
 * deploy` (and podlike deploy) accepts. Values are final: interpolation is
 * done, and `$` means a literal dollar (write.ts escapes it for YAML output).
 */
import type { FormatVersion } from "../keys/service-keys.js";

export type SwarmService = Record<string, unknown>;

export interface SwarmStack {
  /**
   * The lowest format that holds every key of the stack: 3.9 (the newest the
   * Docker 20.10 CLI reads) unless a key needs a later one. Without a
   * version docker stack deploy refuses the file.
   */
  version: FormatVersion;
  services: Record<string, SwarmService>;
  networks?: Record<string, unknown>;
  volumes?: Record<string, unknown>;
  configs?: Record<string, unknown>;
  secrets?: Record<string, unknown>;
  /** Top-level extension fields, kept as written. */
  [extension: `x-${string}`]: unknown;
}

export const OLDEST_STACK_FORMAT: FormatVersion = "3.9";
