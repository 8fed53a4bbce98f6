/**
 * The controller's flags, parsed by hand so the controller never loads
 * commander. Accepts the GNU forms (--logs, --no-pids, --pids=false) and the
 * original Podlike's Go forms (-logs, -pids=false, -pull=true), so stacks
 * written for it run unchanged.
 */
import { UsageError } from "../diagnostics/errors.js";

export interface ControllerFlags {
  /** Stream component output to the controller's own stdout/stderr. */
  logs: boolean;
  /** Pull every component image before creating, even when present. */
  pull: boolean;
  /** Components share one PID namespace (the pod sandbox's, whose PID 1 reaps orphans). */
  pids: boolean;
  /** Components share one IPC namespace (the pod sandbox's). */
  ipc: boolean;
  /** Components get every volume of the controller (volumes_from). */
  volumes: boolean;
}

export const DEFAULT_FLAGS: ControllerFlags = { logs: false, pull: false, pids: true, ipc: true, volumes: false };

const NAMES = Object.keys(DEFAULT_FLAGS) as (keyof ControllerFlags)[];

export const CONTROLLER_USAGE = `usage: podlike controller [--logs] [--pull] [--pids|--no-pids] [--ipc|--no-ipc] [--volumes]
  --logs         stream each component's output, prefixed with its name
  --pull         pull component images even when present
  --no-pids      give each component its own PID namespace
  --no-ipc       do not share an IPC namespace between components
  --volumes      give components every volume of the controller
Single-dash forms (-logs, -pids=false) are accepted too.`;

/** Parses argv; throws UsageError on anything unknown. `help` is true for -h/--help. */
export function parseControllerFlags(argv: readonly string[]): { flags: ControllerFlags; help: boolean } {
  const flags: ControllerFlags = { ...DEFAULT_FLAGS };
  let help = false;
  for (const arg of argv) {
    if (arg === "-h" || arg === "--help" || arg === "-help") {
      help = true;
      continue;
    }
    const m = /^--?(no-)?([a-z]+)(?:=(.*))?$/.exec(arg);
    const name = m?.[2] as keyof ControllerFlags | undefined;
    if (!m || !name || !NAMES.includes(name)) throw new UsageError(`unknown controller flag "${arg}"\n${CONTROLLER_USAGE}`);
    const negated = m[1] !== undefined;
    let value = true;
    if (m[3] !== undefined) {
      const parsed = parseBool(m[3]);
      if (parsed === undefined || negated) throw new UsageError(`flag "${arg}": the value must be true or false`);
      value = parsed;
    }
    flags[name] = negated ? false : value;
  }
  return { flags, help };
}

/** Go's strconv.ParseBool. */
function parseBool(text: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(text)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(text)) return false;
  return undefined;
}
