import type { CliIO } from "../io.js";
import { UsageError } from "../../diagnostics/errors.js";
import { connectManager } from "../../engine/manager.js";
import { formatLine, sinceValue } from "../../deploy/log-lines.js";
import { streamPodLogs } from "../../deploy/pod-logs.js";

export interface LogsCliOptions {
  args?: string[];
  component?: string;
  follow?: boolean;
  since?: string;
  tail?: string;
  timestamps?: boolean;
}

/** docker service logs --tail: a number, or "all". */
function readTail(value: string | undefined): number | undefined {
  if (value === undefined || value === "all") return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new UsageError(`--tail ${JSON.stringify(value)}: give a number of lines, or all`);
  return n;
}

/** `podlike logs STACK [POD] [-c COMPONENT] [-f] [--since T] [--tail N] [--timestamps]`. */
export async function runLogs(options: LogsCliOptions, io: CliIO): Promise<number> {
  const [stack, pod] = options.args ?? [];
  if (!stack) throw new UsageError("name the stack: podlike logs STACK [POD]");
  const tail = readTail(options.tail);
  const since = options.since !== undefined ? sinceValue(options.since) : undefined;
  const swarm = await connectManager(io.env);
  const timestamps = Boolean(options.timestamps);
  await streamPodLogs(
    swarm,
    { stack, pod, component: options.component, follow: Boolean(options.follow), since, tail },
    {
      line: (line, showPod) => (line.stream === "stderr" ? io.stderr : io.stdout).write(formatLine(line, { timestamps, showPod })),
      warn: (message) => io.stderr.write(`podlike: warning: ${message}\n`),
    },
  ).finally(() => swarm.close());
  return 0;
}
