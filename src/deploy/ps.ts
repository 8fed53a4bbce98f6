import { OperationError } from "../diagnostics/errors.js";
import { engineFailure } from "../engine/errors.js";
import type { ContainerRow, ServiceMode, ServiceSpec, Swarm, SwarmTask } from "../engine/swarm.js";
import { checkStackName, stackFilter } from "./names.js";
import { LABELS, type ContainerRole } from "../labels/protocol.js";

/** The pod's IPC holder is plumbing the controller adds, not a component the user declared: ps leaves it out. */
const IPC_HOLDER: ContainerRole = "ipc-holder";

export interface ComponentView {
  name: string;
  containerId: string;
  state: string;
  status: string;
}

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
  /** A pod's components, where its controller runs on the node podlike talks to. */
  components?: ComponentView[];
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

/** The newest task of each slot (replicated) or node (global): what `docker service ps` shows without history. */
function currentTasks(tasks: SwarmTask[]): SwarmTask[] {
  const newest = new Map<string, SwarmTask>();
  for (const task of tasks) {
    const key = task.slot ? `slot:${task.slot}` : `node:${task.nodeId}`;
    const seen = newest.get(key);
    if (!seen || String(task.createdAt) > String(seen.createdAt)) newest.set(key, task);
  }
  return [...newest.values()].sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0) || String(a.nodeId).localeCompare(String(b.nodeId)));
}

/** The stack's services and pods, their current tasks, and the components of pods whose controller runs here. */
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
  const componentsOf = (controllerId: string): ComponentView[] =>
    containers
      .filter((c: ContainerRow) => {
        if (c.labels[LABELS.role] === IPC_HOLDER) return false;
        const owner = c.labels[LABELS.controllerId] ?? "";
        return owner && (owner.startsWith(controllerId) || controllerId.startsWith(owner));
      })
      .map((c) => ({ name: c.labels[LABELS.componentName] ?? `/${c.name}`, containerId: c.id, state: c.state, status: c.status }))
      .sort((a, b) => a.name.localeCompare(b.name));

  return services
    .map((service): ServiceView => {
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
        tasks: currentTasks(mine).map((t): TaskView => {
          const containerId = t.containerId;
          const view: TaskView = {
            id: t.id,
            name: t.slot ? `${shortName}.${t.slot}` : `${shortName}.${t.nodeId}`,
            node: (t.nodeId && hostnames.get(t.nodeId)) ?? t.nodeId ?? "",
            desiredState: t.desiredState,
            state: t.state,
          };
          if (t.timestamp) view.since = t.timestamp;
          if (t.err) view.error = t.err;
          if (containerId) view.containerId = containerId;
          // Components are found on the engine podlike talks to: where the controller runs elsewhere, there are none here.
          if (pod && containerId) {
            const components = componentsOf(containerId);
            if (components.length) view.components = components;
          }
          return view;
        }),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
