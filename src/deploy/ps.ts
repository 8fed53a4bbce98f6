import { OperationError } from "../diagnostics/errors.js";
import { engineError, type Engine } from "./engine-client.js";
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

export function isPod(spec: any): boolean {
  const labels: Record<string, string> = spec?.TaskTemplate?.ContainerSpec?.Labels ?? {};
  return Object.keys(labels).some((l) => l.startsWith(LABELS.componentPrefix) || l === LABELS.composeFile);
}

function modeOf(spec: any): { mode: string; replicas?: number } {
  const mode = spec?.Mode ?? {};
  if (mode.Replicated) return { mode: "replicated", replicas: Number(mode.Replicated.Replicas ?? 1) };
  if (mode.Global) return { mode: "global" };
  if (mode.ReplicatedJob) return { mode: "replicated-job", replicas: Number(mode.ReplicatedJob.TotalCompletions ?? 1) };
  if (mode.GlobalJob) return { mode: "global-job" };
  return { mode: "unknown" };
}

/** The newest task of each slot (replicated) or node (global): what `docker service ps` shows without history. */
function currentTasks(tasks: any[]): any[] {
  const newest = new Map<string, any>();
  for (const task of tasks) {
    const key = task.Slot ? `slot:${task.Slot}` : `node:${task.NodeID}`;
    const seen = newest.get(key);
    if (!seen || String(task.CreatedAt) > String(seen.CreatedAt)) newest.set(key, task);
  }
  return [...newest.values()].sort((a, b) => (a.Slot ?? 0) - (b.Slot ?? 0) || String(a.NodeID).localeCompare(String(b.NodeID)));
}

/** The stack's services and pods, their current tasks, and the components of pods whose controller runs here. */
export async function listStack(engine: Engine, stack: string): Promise<ServiceView[]> {
  checkStackName(stack);
  const docker = engine.docker;
  let services: any[], tasks: any[], nodes: any[], containers: any[];
  try {
    // Tasks carry their service's labels: the stack filter finds them without waiting for the services' IDs.
    [services, tasks, nodes, containers] = await Promise.all([
      docker.listServices({ filters: stackFilter(stack) } as never) as unknown as Promise<any[]>,
      docker.listTasks({ filters: stackFilter(stack) } as never) as unknown as Promise<any[]>,
      docker.listNodes() as unknown as Promise<any[]>,
      docker.listContainers({ all: true, filters: JSON.stringify({ label: [LABELS.controllerId] }) }) as unknown as Promise<any[]>,
    ]);
  } catch (error) {
    throw engineError(error, `reading stack ${stack}`);
  }
  if (!services.length) throw new OperationError(`nothing found in stack ${stack}`, "podlike deploy creates it; docker stack ls lists the stacks");
  const hostnames = new Map(nodes.map((n) => [n.ID, n.Description?.Hostname ?? n.ID]));
  const componentsOf = (controllerId: string): ComponentView[] =>
    containers
      .filter((c) => {
        if (c.Labels?.[LABELS.role] === IPC_HOLDER) return false;
        const owner = c.Labels?.[LABELS.controllerId] ?? "";
        return owner && (owner.startsWith(controllerId) || controllerId.startsWith(owner));
      })
      .map((c) => ({ name: c.Labels?.[LABELS.componentName] ?? c.Names?.[0] ?? c.Id, containerId: c.Id, state: c.State, status: c.Status }))
      .sort((a, b) => a.name.localeCompare(b.name));

  return services
    .map((service): ServiceView => {
      const spec = service.Spec;
      const pod = isPod(spec);
      const mine = tasks.filter((t) => t.ServiceID === service.ID);
      const { mode, replicas } = modeOf(spec);
      const running = mine.filter((t) => t.DesiredState === "running" && t.Status?.State === "running").length;
      const desired = replicas ?? mine.filter((t) => t.DesiredState === "running").length;
      const shortName = spec.Name as string;
      return {
        name: shortName,
        kind: pod ? "pod" : "service",
        mode,
        running,
        desired,
        image: spec.TaskTemplate?.ContainerSpec?.Image ?? "",
        tasks: currentTasks(mine).map((t): TaskView => {
          const containerId: string | undefined = t.Status?.ContainerStatus?.ContainerID || undefined;
          const view: TaskView = {
            id: t.ID,
            name: t.Slot ? `${shortName}.${t.Slot}` : `${shortName}.${t.NodeID}`,
            node: hostnames.get(t.NodeID) ?? t.NodeID ?? "",
            desiredState: t.DesiredState,
            state: t.Status?.State ?? "",
          };
          if (t.Status?.Timestamp) view.since = t.Status.Timestamp;
          if (t.Status?.Err) view.error = t.Status.Err;
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
