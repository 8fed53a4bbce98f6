import { OperationError } from "../diagnostics/errors.js";
import { engineFailure } from "../engine/errors.js";
import type { ContainerRow, ServiceMode, ServiceSpec, Swarm, SwarmTask } from "../engine/swarm.js";
import { checkStackName, stackFilter } from "./names.js";
import { LABELS, type ContainerRole } from "../labels/protocol.js";
import { parseStatusLine, STATUS_REFRESH_MS, type PodStatus } from "../controller/status-line.js";
import { engineMessage } from "../engine/errors.js";
import { readTaskLogLines } from "./task-logs.js";

/** The pod's sandbox and secret keeper are plumbing the controller adds, not components the user declared: ps leaves them out. */
const PLUMBING: ContainerRole[] = ["sandbox", "secrets", "cgroup-setup"];

export interface ComponentView {
  name: string;
  /** running, healthy, unhealthy, starting, created, exited (CODE); or the container state where read from the local engine. */
  state: string;
  containerId?: string;
  /** The engine's status text ("Up 2 minutes"), where read from the local engine. */
  status?: string;
}

/** A published status older than this is not taken as the pod's state: the controller repeats it every STATUS_REFRESH_MS. */
const STATUS_WINDOW_SECONDS = Math.round((2 * STATUS_REFRESH_MS + 10_000) / 1000);
const LOGS_TIMEOUT_MS = 5000;

export interface TaskView {
  id: string;
  /** `<service>.<slot>` or `<service>.<node>` as docker service ps names them. */
  name: string;
  node: string;
  desiredState: string;
  state: string;
  since?: string;
  error?: string;
  containerId?: string;
  /** Earlier tasks of the same slot (or node, for global services) that Swarm still lists: how often the pod was started again. */
  restarts: number;
  /** The pod's own health as its controller last published it. */
  podStatus?: string;
  /** A pod's components, as its controller last published them (from any node), or as the local engine lists them. */
  components?: ComponentView[];
  /** Why the components of a pod's task cannot be shown. */
  componentsUnknown?: string;
  /** The manager has already replaced this task, but the task was running when its node was last heard from (a partition). */
  replaced?: boolean;
}

export interface ServiceView {
  name: string;
  kind: "pod" | "service";
  mode: string;
  running: number;
  desired: number;
  image: string;
  tasks: TaskView[];
}

export function isPod(spec: ServiceSpec): boolean {
  const labels: Record<string, string> = spec.TaskTemplate?.ContainerSpec?.Labels ?? {};
  return Object.keys(labels).some((l) => l.startsWith(LABELS.componentPrefix) || l === LABELS.composeFile);
}

function modeOf(spec: ServiceSpec): { mode: string; replicas?: number } {
  const mode: ServiceMode = spec.Mode ?? {};
  if (mode.Replicated) return { mode: "replicated", replicas: Number(mode.Replicated.Replicas ?? 1) };
  if (mode.Global) return { mode: "global" };
  if (mode.ReplicatedJob) return { mode: "replicated-job", replicas: Number(mode.ReplicatedJob.TotalCompletions ?? 1) };
  if (mode.GlobalJob) return { mode: "global-job" };
  return { mode: "unknown" };
}

const slotOf = (task: SwarmTask): string => (task.slot ? `slot:${task.slot}` : `node:${task.nodeId}`);

/**
 * The newest task of each slot (replicated) or node (global), what `docker service ps` shows
 * without history, plus older tasks last seen running: a copy on a partitioned node may still run.
 */
function currentTasks(tasks: SwarmTask[]): Array<{ task: SwarmTask; replaced: boolean; restarts: number }> {
  const bySlot = new Map<string, SwarmTask[]>();
  for (const task of tasks) bySlot.set(slotOf(task), [...(bySlot.get(slotOf(task)) ?? []), task]);
  const shown: Array<{ task: SwarmTask; replaced: boolean; restarts: number }> = [];
  for (const slot of bySlot.values()) {
    slot.sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
    shown.push({ task: slot[0]!, replaced: false, restarts: slot.length - 1 });
    for (const older of slot.slice(1)) if (older.state === "running") shown.push({ task: older, replaced: true, restarts: 0 });
  }
  return shown.sort((a, b) => (a.task.slot ?? 0) - (b.task.slot ?? 0) || String(a.task.nodeId).localeCompare(String(b.task.nodeId)) || Number(a.replaced) - Number(b.replaced));
}

/** The newest status line in the task's recent output. */
async function publishedStatus(swarm: Swarm, taskId: string): Promise<PodStatus | undefined> {
  const lines = await readTaskLogLines(swarm, taskId, { sinceSeconds: STATUS_WINDOW_SECONDS, timeoutMs: LOGS_TIMEOUT_MS });
  for (let i = lines.length - 1; i >= 0; i--) {
    const status = parseStatusLine(lines[i]!);
    if (status) return status;
  }
  return undefined;
}

function statusComponents(status: PodStatus): ComponentView[] {
  return Object.entries(status.components)
    .map(([name, state]) => ({ name, state }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The stack's services and pods, their current tasks, and each running pod's components on whatever node it runs, or why they cannot be known. */
export async function listStack(swarm: Swarm, stack: string): Promise<ServiceView[]> {
  checkStackName(stack);
  // Tasks carry their service's labels: the stack filter finds them without waiting for the services' IDs.
  const [services, tasks, nodes, containers] = await Promise.all([
    swarm.listServices(stackFilter(stack)),
    swarm.listTasks(stackFilter(stack)),
    swarm.listNodes(),
    swarm.listContainers({ label: [LABELS.controllerId] }),
  ]).catch((error: unknown) => Promise.reject(engineFailure(error, `reading stack ${stack}`, swarm)));
  if (!services.length) throw new OperationError(`nothing found in stack ${stack}`, "podlike deploy creates it; docker stack ls lists the stacks");
  const hostnames = new Map(nodes.map((n) => [n.id, n.hostname]));
  const nodeReady = new Map(nodes.map((n) => [n.id, n.state === "ready"]));
  const componentsOf = (controllerId: string): ComponentView[] =>
    containers
      .filter((c: ContainerRow) => {
        if (PLUMBING.includes(c.labels[LABELS.role] as ContainerRole)) return false;
        const owner = c.labels[LABELS.controllerId] ?? "";
        return owner && (owner.startsWith(controllerId) || controllerId.startsWith(owner));
      })
      .map((c) => ({ name: c.labels[LABELS.componentName] ?? `/${c.name}`, containerId: c.id, state: c.state, status: c.status }))
      .sort((a, b) => a.name.localeCompare(b.name));

  const views = services.map((service): ServiceView & { pod: boolean; logDriver?: string } => {
    const spec = service.spec;
    const pod = isPod(spec);
    const mine = tasks.filter((t) => t.serviceId === service.id);
    const { mode, replicas } = modeOf(spec);
    const running = mine.filter((t) => t.desiredState === "running" && t.state === "running").length;
    const desired = replicas ?? mine.filter((t) => t.desiredState === "running").length;
    const shortName = service.name;
    return {
      name: shortName,
      kind: pod ? "pod" : "service",
      mode,
      running,
      desired,
      image: spec.TaskTemplate?.ContainerSpec?.Image ?? "",
      pod,
      logDriver: spec.TaskTemplate?.LogDriver?.Name,
      tasks: currentTasks(mine).map(({ task: t, replaced, restarts }): TaskView => {
        const view: TaskView = {
          id: t.id,
          name: t.slot ? `${shortName}.${t.slot}` : `${shortName}.${t.nodeId}`,
          node: (t.nodeId && hostnames.get(t.nodeId)) ?? t.nodeId ?? "",
          desiredState: t.desiredState,
          state: t.state,
          restarts,
        };
        if (replaced) view.replaced = true;
        if (t.timestamp) view.since = t.timestamp;
        if (t.err) view.error = t.err;
        if (t.containerId) view.containerId = t.containerId;
        return view;
      }),
    };
  });

  // each running pod's components: as its controller published them, whichever node it runs on
  const nodeOf = new Map(tasks.map((t) => [t.id, t.nodeId]));
  await Promise.all(
    views.flatMap((view) =>
      !view.pod
        ? []
        : view.tasks
            .filter((t) => t.state === "running")
            .map(async (t) => {
              const nodeId = nodeOf.get(t.id);
              if (!nodeId || !nodeReady.get(nodeId)) {
                t.componentsUnknown = `node ${t.node} is down: its state cannot be read until it is back`;
              } else {
                try {
                  const status = await publishedStatus(swarm, t.id);
                  if (status) {
                    t.podStatus = status.status;
                    t.components = statusComponents(status);
                  } else {
                    t.componentsUnknown = `the controller published no status in the last ${STATUS_WINDOW_SECONDS} s`;
                  }
                } catch (error) {
                  const driver = view.logDriver ? ` (logging driver ${view.logDriver})` : "";
                  t.componentsUnknown = `cannot read the controller's output${driver}: ${engineMessage(error)}`;
                }
              }
              // the engine podlike talks to may run the controller: its containers say what it holds
              const local = t.containerId ? componentsOf(t.containerId) : [];
              if (!t.components && local.length) t.components = local;
            }),
    ),
  );
  return views.map(({ pod: _pod, logDriver: _driver, ...view }) => view).sort((a, b) => a.name.localeCompare(b.name));
}
