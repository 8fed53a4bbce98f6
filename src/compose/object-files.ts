import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { regularFileProblem } from "./read-text.js";
import { sourceAt } from "./source-map.js";
import { isMapping } from "../yaml/mapping.js";

/**
 * The `file:` of top-level configs and secrets. Swarm keeps their content in
 * its raft store and refuses more than these sizes (swarmkit's MaxConfigSize
 * and MaxSecretSize), so a larger file, or anything but a regular file, is
 * refused as soon as the project is read rather than when deploy reads it.
 */
export const OBJECT_FILE_LIMITS = { config: 1000 * 1024, secret: 500 * 1024 } as const;

export type ObjectKind = keyof typeof OBJECT_FILE_LIMITS;

const SECTIONS: readonly [section: "configs" | "secrets", kind: ObjectKind][] = [
  ["configs", "config"],
  ["secrets", "secret"],
];

/**
 * A finding for each config or secret whose `file:` (already absolute) is a
 * device, FIFO, folder or too large. A missing file is left to deploy, which
 * is where docker stack deploy reports it too.
 */
export function checkObjectFiles(raw: Record<string, unknown>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [section, kind] of SECTIONS) {
    const entries = raw[section];
    if (!isMapping(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      if (!isMapping(entry) || typeof entry.file !== "string") continue;
      const problem = regularFileProblem(entry.file, OBJECT_FILE_LIMITS[kind]);
      if (problem === undefined || problem === "does not exist") continue;
      const path = [section, name, "file"];
      const at = sourceAt(raw, path);
      out.push({
        code: "OBJECT_FILE",
        severity: "error",
        message: `${kind} "${name}": file ${entry.file} ${problem}`,
        path,
        ...(at ? { at } : {}),
        hint: `name a regular file of at most ${OBJECT_FILE_LIMITS[kind] / 1024} KiB (Swarm's limit for a ${kind})`,
      });
    }
  }
  return out;
}
