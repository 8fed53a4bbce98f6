/**
 * The recent output of one Swarm task, read through the manager: the manager
 * fetches it from the task's node, so it works for tasks on every node.
 * Only ask for tasks on nodes that are up: for a task on a node that is down
 * the engine neither answers nor fails, it waits; the timeout bounds the rest.
 */
import type { Readable } from "node:stream";
import { FrameDemuxer, LineAssembler } from "../controller/logs.js";
import type { Swarm } from "../engine/swarm.js";

export interface TaskLogOptions {
  /** Only lines written during the last `sinceSeconds`. */
  sinceSeconds: number;
  /** Give up after this long (a node that just went away). */
  timeoutMs: number;
}

/** The task's stdout and stderr lines (as the engine gives them, timestamp first when asked), in arrival order. */
export async function readTaskLogLines(swarm: Swarm, taskId: string, options: TaskLogOptions): Promise<string[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeoutMs);
  try {
    const since = String(Math.floor(Date.now() / 1000) - options.sinceSeconds);
    const body = await swarm.taskLogs(taskId, { follow: false, timestamps: true, since, signal: abort.signal });
    return await collectLines(body);
  } catch (error) {
    if (abort.signal.aborted) throw new Error(`its node did not send the task's output within ${Math.round(options.timeoutMs / 1000)} s`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** A logs reply is multiplexed frames (the controller has no TTY). */
async function collectLines(body: Readable): Promise<string[]> {
  const demuxer = new FrameDemuxer();
  const assemblers = new Map<number, LineAssembler>();
  const lines: string[] = [];
  for await (const chunk of body) {
    for (const frame of demuxer.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))) {
      let assembler = assemblers.get(frame.stream);
      if (!assembler) assemblers.set(frame.stream, (assembler = new LineAssembler()));
      lines.push(...assembler.push(frame.payload));
    }
  }
  for (const assembler of assemblers.values()) {
    const rest = assembler.flush();
    if (rest !== undefined) lines.push(rest);
  }
  return lines.filter((line) => line.trim() !== "");
}
