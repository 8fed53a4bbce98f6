/**
 * The recent output of one Swarm task, read through the manager: the manager
 * fetches it from the task's node, so it works for tasks on every node.
 * Only ask for tasks on nodes that are up: for a task on a node that is down
 * the engine neither answers nor fails, it waits.
 */
import type { Engine } from "./engine-client.js";

export interface TaskLogOptions {
  /** Only lines written during the last `sinceSeconds`. */
  sinceSeconds: number;
  /** Give up after this long (a node that just went away). */
  timeoutMs: number;
}

/** The task's stdout and stderr lines, oldest first, each as the engine gives it (timestamp first). */
export async function readTaskLogLines(engine: Engine, taskId: string, options: TaskLogOptions): Promise<string[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeoutMs);
  try {
    const since = Math.floor(Date.now() / 1000) - options.sinceSeconds;
    const task = engine.docker.getTask(taskId) as unknown as { logs(options: Record<string, unknown>): Promise<Buffer | string> };
    const payload = await task.logs({ stdout: true, stderr: true, timestamps: true, follow: false, since, abortSignal: abort.signal });
    return splitLines(demultiplex(typeof payload === "string" ? Buffer.from(payload, "binary") : payload));
  } catch (error) {
    if (abort.signal.aborted) throw new Error(`its node did not send the task's output within ${Math.round(options.timeoutMs / 1000)} s`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Swarm task logs come as frames: 8-byte header (stream, 0, 0, 0, uint32 BE length), then the payload. */
function demultiplex(payload: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= payload.length && payload[at]! <= 2 && payload.readUIntBE(at + 1, 3) === 0) {
    const length = payload.readUInt32BE(at + 4);
    parts.push(payload.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  // no frame header at all: a raw stream (a TTY task)
  return at === 0 ? payload : Buffer.concat(parts);
}

function splitLines(text: Buffer): string[] {
  return text.toString("utf8").split("\n").filter((line) => line.trim() !== "");
}
