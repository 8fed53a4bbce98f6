import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { PodlikeError } from "../diagnostics/errors.js";
import { sourceAt } from "../compose/source-map.js";
import { applyPlan, retirableNow, retireObjects } from "./apply.js";
import { waitForConvergence, type ServiceProgress } from "./converge.js";
import { buildDesiredStack } from "./desired.js";
import { engineFailure } from "../engine/errors.js";
import type { Swarm } from "../engine/swarm.js";
import { readLiveStack } from "./live.js";
import { checkStackName, stackFilter } from "./names.js";
import { planStack, type Plan, type PlanStep } from "./plan.js";
import type { ComposeStack, LiveStack } from "./types.js";

export interface DeployRequest {
  stack: string;
  compose: ComposeStack;
  /** Where relative config/secret paths resolve (the Compose project folder). */
  baseDir: string;
  variables: Record<string, string>;
  prune: boolean;
  dryRun: boolean;
  detach: boolean;
  timeoutMs?: number;
  /** How long services must stay converged (5 s unless a test shortens it). */
  stableMs?: number;
  /** The engine's answers, when the caller asked for them early (readForDeploy); read here otherwise. */
  reads?: Promise<EngineReads>;
}

/** What a deploy reads from the engine before it plans. None of it depends on the Compose file. */
export interface EngineReads {
  apiVersion: string;
  live: LiveStack;
  /** The stack's tasks before the change: a wait tells this deploy's failures from older ones by them. */
  previousTaskIds: ReadonlySet<string>;
}

export interface DeployEvents {
  /** Findings that do not stop the deploy (keys Swarm ignores), before anything is changed. */
  onWarnings?(warnings: Diagnostic[]): void;
  onPlan?(plan: Plan): void;
  onStep?(step: PlanStep): void;
  onProgress?(services: ServiceProgress[]): void;
}

export interface DeployOutcome {
  plan: Plan;
  /** Warnings about keys Swarm ignores and the like. */
  warnings: Diagnostic[];
  services?: ServiceProgress[];
}

const SECTION = { network: "networks", config: "configs", secret: "secrets", service: "services" } as const;

/**
 * Converges the engine on the stack: the plan (desired against live), then,
 * unless it is a dry run, the changes and the wait for the services to run.
 */
export async function deployStack(swarm: Swarm, request: DeployRequest, events: DeployEvents = {}): Promise<DeployOutcome> {
  checkStackName(request.stack);
  const { apiVersion, live, previousTaskIds } = await (request.reads ?? readForDeploy(swarm, request.stack, { followTasks: !request.dryRun && !request.detach }));
  const desired = buildDesiredStack(request.compose, request.stack, { baseDir: request.baseDir, variables: request.variables, apiVersion });
  if (hasErrors(desired.diagnostics)) throw new PodlikeError(desired.diagnostics);
  const warnings = desired.diagnostics;
  if (warnings.length) events.onWarnings?.(warnings);

  const plan = planStack(desired.value, live, { prune: request.prune });
  if (plan.missing.length) {
    throw new PodlikeError(
      plan.missing.map((m) => {
        const path = [SECTION[m.kind], m.key];
        return {
          code: "EXTERNAL_MISSING",
          severity: "error",
          message: `external ${m.kind} "${m.name}" does not exist on the engine`,
          path,
          at: sourceAt(request.compose, path, "key"),
          hint: `create it first (docker ${m.kind} create ${m.name} ...), or drop external: true so the stack creates it`,
        } satisfies Diagnostic;
      }),
    );
  }
  if (plan.changedInPlace.length) {
    throw new PodlikeError(
      plan.changedInPlace.map((c) => {
        const path = [SECTION[c.kind], c.key, "name"];
        return {
          code: "DEPLOY",
          severity: "error",
          message: `${c.kind} "${c.name}" exists with other content, and Swarm cannot change a ${c.kind} in place`,
          path,
          at: sourceAt(request.compose, path),
          hint: `give it a new name:, or drop name: so podlike names it after its content (<stack>_${c.key}-<hash>) and rolls services to it`,
        } satisfies Diagnostic;
      }),
    );
  }
  if (plan.foreign.length) {
    const keys = new Map(desired.value.networks.map((n) => [n.name, n.key]));
    throw new PodlikeError(
      plan.foreign.map((n) => {
        const path = ["networks", keys.get(n.name) ?? n.name];
        return {
          code: "DEPLOY",
          severity: "error",
          message: `network ${n.name} exists but ${n.owner ? `belongs to stack ${n.owner}` : "was not created by a stack"}`,
          path,
          at: sourceAt(request.compose, path, "key"),
          hint: `declare it with external: true (and name: ${n.name}) to use it, or remove it`,
        } satisfies Diagnostic;
      }),
    );
  }
  events.onPlan?.(plan);
  if (request.dryRun) return { plan, warnings };

  const applied = await applyPlan(swarm, plan, live, { onStep: events.onStep });
  if (request.detach) {
    const updatedIds = new Set(plan.servicesToUpdate.map((u) => u.live!.id));
    await retireObjects(swarm, retirableNow(plan.objectsToRetire, live, updatedIds), { onStep: events.onStep });
    return { plan, warnings };
  }

  const services = await waitForConvergence(swarm, applied.changedServiceIds, {
    timeoutMs: request.timeoutMs,
    stableMs: request.stableMs,
    previousTaskIds,
    onProgress: events.onProgress,
  });
  // Every update has completed: nothing can roll back to the old objects now.
  await retireObjects(swarm, plan.objectsToRetire, { onStep: events.onStep });
  return { plan, warnings, services };
}

/**
 * The engine's version, the stack's objects and (when the deploy will wait,
 * `followTasks`) its tasks, asked for at once. When several fail, the
 * failure reported is the first in that order, whichever answered first.
 */
export async function readForDeploy(swarm: Swarm, stack: string, options: { followTasks: boolean }): Promise<EngineReads> {
  const apiVersion = swarm.apiVersion().catch((error: unknown) => {
    throw engineFailure(error, "asking the engine for its API version", swarm.address);
  });
  const live = readLiveStack(swarm, stack);
  const previousTaskIds = options.followTasks ? taskIds(swarm, stack) : Promise.resolve(new Set<string>());
  // every answer is in before any is looked at, so the failure reported does not depend on timing
  await Promise.allSettled([apiVersion, live, previousTaskIds]);
  return { apiVersion: await apiVersion, live: await live, previousTaskIds: await previousTaskIds };
}

/** The stack's tasks: only its own services are followed. */
async function taskIds(swarm: Swarm, stack: string): Promise<Set<string>> {
  try {
    const tasks = await swarm.listTasks(stackFilter(stack));
    return new Set(tasks.map((t) => t.id));
  } catch (error) {
    throw engineFailure(error, "listing tasks", swarm);
  }
}
