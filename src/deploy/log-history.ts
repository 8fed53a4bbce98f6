/**
 * The history half of `podlike logs`, bounded in time. The service logs
 * endpoint ends its reply once every node holding one of the service's tasks
 * has sent that task's output; for a node that is down it neither sends nor
 * fails, it waits. So when Swarm already knows a node is down, the tasks on
 * the other nodes are read one by one (the same bytes, through the manager)
 * and the down node is named; otherwise the service is read as a whole, and
 * a reply that has not ended after HISTORY_WAIT_MS (a node that has just
 * gone) is shown as far as it came, saying so.
 */
import type { Readable } from "node:stream";
import type { ServiceLogOptions, Swarm, SwarmNode, SwarmTask } from "../engine/swarm.js";
import { readReplyLines } from "./log-lines.js";

export const HISTORY_WAIT_MS = 10_000;

export interface HistoryPod {
  id: string;
  /** As the user knows it (x-pods). */
  name: string;
  /** The whole service's history (the service logs endpoint, its errors already worded). */
  request(options: Pick<ServiceLogOptions, "signal">): Promise<Readable>;
}

/** Feeds every line of the pod's history to `onText`; returns the warnings for what could not be read. */
export async function readHistory(
  swarm: Swarm,
  pod: HistoryPod,
  options: { since?: string; signal?: AbortSignal; waitMs?: number },
  onText: (text: string, stream: "stdout" | "stderr") => void,
): Promise<string[]> {
  const waitMs = options.waitMs ?? HISTORY_WAIT_MS;
  const placement = await placementOf(swarm, pod.id);
  const down = placement ? nodesDown(placement.tasks, placement.nodes) : [];
  if (!down.length) {
    const complete = await readBounded((signal) => pod.request({ signal }), options.signal, waitMs, onText);
    return complete ? [] : [await cutShort(swarm, pod, waitMs)];
  }
  const ready = new Set(placement!.nodes.filter((n) => n.state === "ready").map((n) => n.id));
  const readable = placement!.tasks.filter((t) => t.nodeId !== undefined && ready.has(t.nodeId));
  const since = options.since !== undefined ? { since: options.since } : {};
  const warnings = [`pod ${pod.name}: no output from node ${describe(down)}; shown: what the other nodes sent`];
  const hostnames = new Map(placement!.nodes.map((n) => [n.id, n.hostname]));
  const complete = await Promise.all(
    readable.map((task) =>
      readBounded((signal) => swarm.taskLogs(task.id, { follow: false, timestamps: true, tail: "all", ...since, signal }), options.signal, waitMs, onText).catch((error: unknown) => {
        if (options.signal?.aborted) throw error;
        // an old task's container may be gone, as the service endpoint would skip it; a running one is worth a word
        if (task.desiredState === "running") warnings.push(`pod ${pod.name}: cannot read its task on node ${hostnames.get(task.nodeId!)}: ${(error as Error).message}`);
        return true;
      }),
    ),
  );
  if (complete.includes(false)) warnings.push(await cutShort(swarm, pod, waitMs));
  return warnings;
}

async function placementOf(swarm: Swarm, serviceId: string): Promise<{ tasks: SwarmTask[]; nodes: SwarmNode[] } | undefined> {
  try {
    const [tasks, nodes] = await Promise.all([swarm.listTasks({ service: [serviceId] }), swarm.listNodes()]);
    return { tasks, nodes };
  } catch {
    // only for naming nodes: without the lists the service is read as a whole, still bounded
    return undefined;
  }
}

function nodesDown(tasks: readonly SwarmTask[], nodes: readonly SwarmNode[]): SwarmNode[] {
  return nodes.filter((n) => n.state !== "ready" && tasks.some((t) => t.nodeId === n.id));
}

const describe = (nodes: readonly SwarmNode[]): string => nodes.map((n) => `${n.hostname} (${n.state})`).join(", ");

/** Reads one reply until it ends (true) or until `waitMs` passed (false, with what came fed already). */
async function readBounded(
  open: (signal: AbortSignal) => Promise<Readable>,
  outer: AbortSignal | undefined,
  waitMs: number,
  onText: (text: string, stream: "stdout" | "stderr") => void,
): Promise<boolean> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error(`no complete reply within ${waitMs} ms`)), waitMs);
  const signal = outer ? AbortSignal.any([outer, deadline.signal]) : deadline.signal;
  const cutOff = (error: unknown) => {
    if (!deadline.signal.aborted || outer?.aborted) throw error;
  };
  try {
    const body = await open(signal).catch((error: unknown) => cutOff(error));
    if (body) await readReplyLines(body, onText).catch(cutOff);
    return !deadline.signal.aborted;
  } finally {
    clearTimeout(timer);
  }
}

/** The warning for a reply the deadline cut: which nodes it waited for, when Swarm knows by now. */
async function cutShort(swarm: Swarm, pod: HistoryPod, waitMs: number): Promise<string> {
  const seconds = Math.round(waitMs / 1000);
  const placement = await placementOf(swarm, pod.id);
  const down = placement ? nodesDown(placement.tasks, placement.nodes) : [];
  if (down.length) return `pod ${pod.name}: no output from node ${describe(down)} within ${seconds} s; shown: what the other nodes sent`;
  return `pod ${pod.name}: the engine had not sent all of its output within ${seconds} s (a node that has just gone down?); shown: what came`;
}
