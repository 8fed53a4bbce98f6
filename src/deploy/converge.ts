import { OperationError } from "../diagnostics/errors.js";
import { engineFailure } from "../engine/errors.js";
import type { ServiceMode, Swarm, SwarmService, SwarmTask } from "../engine/swarm.js";

export type ServiceState = "starting" | "converged" | "failed";

export interface ServiceProgress {
  id: string;
  name: string;
  running: number;
  desired: number;
  state: ServiceState;
  /** The task error or update status message, when there is one. */
  message?: string;
}

export interface ConvergeOptions {
  /** Give up after this long (undefined: wait as long as it takes). */
  timeoutMs?: number;
  /** How long every service must stay converged: docker service create waits 5 s. */
  stableMs?: number;
  pollMs?: number;
  /** Task IDs that existed before the change: their failures are history, not this deploy's. */
  previousTaskIds: ReadonlySet<string>;
  onProgress?(services: ServiceProgress[]): void;
  /** Injected for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

type TaskView = Pick<SwarmTask, "id" | "serviceId" | "desiredState" | "state" | "err" | "message">;
type ServiceView = Pick<SwarmService, "id" | "name" | "spec" | "updateState" | "updateMessage">;

const FAILED_STATES = new Set(["failed", "rejected"]);

/** Where one service stands, from its spec, update status and tasks. Pure, for tests. */
export function serviceProgress(service: ServiceView, tasks: readonly TaskView[], previousTaskIds: ReadonlySet<string>): ServiceProgress {
  const mine = tasks.filter((t) => t.serviceId === service.id);
  const active = mine.filter((t) => t.desiredState === "running");
  const running = active.filter((t) => t.state === "running").length;
  const mode: ServiceMode = service.spec.Mode ?? {};
  const base = { id: service.id, name: service.name, running };

  const failed = mine.find((t) => FAILED_STATES.has(t.state) && !previousTaskIds.has(t.id));
  if (failed) {
    const why = failed.err || failed.message || failed.state;
    return { ...base, desired: desiredCount(mode, active.length), state: "failed", message: `task ${failed.id.slice(0, 12)} ${failed.state}: ${why}` };
  }
  const update = service.updateState;
  if (update === "paused" || update === "rollback_paused" || update === "rollback_completed") {
    return { ...base, desired: desiredCount(mode, active.length), state: "failed", message: `update ${update.replace("_", " ")}: ${service.updateMessage ?? ""}`.trim() };
  }

  if (mode.ReplicatedJob || mode.GlobalJob) {
    const total = mode.ReplicatedJob ? Number(mode.ReplicatedJob.TotalCompletions ?? 1) : mine.length;
    const complete = mine.filter((t) => t.state === "complete").length;
    return { ...base, running: complete, desired: total, state: total > 0 && complete >= total ? "converged" : "starting" };
  }
  const desired = desiredCount(mode, active.length);
  const updating = update === "updating" || update === "rollback_started";
  const converged = !updating && running === desired && active.length === desired && (desired > 0 || !!mode.Replicated);
  // A task the scheduler cannot place says why ("no suitable node ..."): worth showing while waiting.
  const waitingWhy = active.find((t) => t.state !== "running" && t.err)?.err;
  const message = waitingWhy ?? (updating ? "updating" : undefined);
  return { ...base, desired, state: converged ? "converged" : "starting", ...(message ? { message } : {}) };
}

function desiredCount(mode: ServiceMode, activeTasks: number): number {
  if (mode.Replicated) return Number(mode.Replicated.Replicas ?? 1);
  // Global: one task per eligible node; the orchestrator's own count is what it scheduled.
  return activeTasks;
}

/**
 * Waits until every service runs its desired tasks and has done so for
 * `stableMs`, as `docker service create` without --detach does. A failed or
 * rejected task, or a paused or rolled-back update, ends the wait with its error.
 */
export async function waitForConvergence(swarm: Swarm, serviceIds: readonly string[], options: ConvergeOptions): Promise<ServiceProgress[]> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const stableMs = options.stableMs ?? 5000;
  const pollMs = options.pollMs ?? 500;
  const started = now();
  let convergedSince: number | undefined;
  if (!serviceIds.length) return [];
  for (;;) {
    let listed: ServiceView[];
    let tasks: TaskView[];
    try {
      // Two requests per poll however many services: one list of the services, one of their tasks.
      [listed, tasks] = await Promise.all([
        swarm.listServices({ id: [...serviceIds] }),
        swarm.listTasks({ service: [...serviceIds] }),
      ]);
    } catch (error) {
      throw engineFailure(error, "following the services' tasks", swarm);
    }
    const byId = new Map(listed.map((s) => [s.id, s]));
    const gone = serviceIds.find((id) => !byId.has(id));
    if (gone) throw new OperationError(`following the services' tasks: service ${gone} was removed while deploying`);
    const services = serviceIds.map((id) => byId.get(id)!);
    const progress = services.map((s) => serviceProgress(s, tasks, options.previousTaskIds));
    options.onProgress?.(progress);
    const failed = progress.find((p) => p.state === "failed");
    if (failed) {
      throw new OperationError(`service ${failed.name} did not start: ${failed.message}`, `docker service ps --no-trunc ${failed.name} shows every task and its error`);
    }
    if (progress.every((p) => p.state === "converged")) {
      convergedSince ??= now();
      if (now() - convergedSince >= stableMs) return progress;
    } else convergedSince = undefined;
    if (options.timeoutMs !== undefined && now() - started >= options.timeoutMs) {
      const waiting = progress.filter((p) => p.state !== "converged").map((p) => `${p.name} ${p.running}/${p.desired}`);
      throw new OperationError(
        `gave up after ${Math.round(options.timeoutMs / 1000)} s waiting for ${waiting.length ? waiting.join(", ") : "the services to stay up"}`,
        "the stack is deployed and Swarm keeps trying; docker service ps NAME shows why tasks do not run (--timeout waits longer)",
      );
    }
    await sleep(pollMs);
  }
}
