/**
 * `podlike logs`: the components' output of a stack's pods, read through
 * Swarm's service logs endpoint (which gathers every task's output, on every
 * node) from what each controller writes with --logs, one `name | text` line
 * per component line.
 */
import type { Readable } from "node:stream";
import { OperationError } from "../diagnostics/errors.js";
import { parseControllerFlags } from "../controller/flags.js";
import { LABELS } from "../labels/protocol.js";
import { engineFailure, engineMessage } from "../engine/errors.js";
import type { ServiceSpec, ServiceLogOptions, Swarm } from "../engine/swarm.js";
import { checkStackName, scopedName, stackFilter } from "./names.js";
import { isPod } from "./ps.js";
import { lastLines, readLogLine, readReplyLines, type ComponentLine } from "./log-lines.js";
import { readHistory } from "./log-history.js";

export interface PodLogsRequest {
  stack: string;
  /** The pod's name in x-pods (or the service's full name); all pods of the stack without it. */
  pod?: string;
  component?: string;
  follow: boolean;
  /** The endpoint's `since` value (see sinceValue). */
  since?: string;
  tail?: number;
  /** How long the history may take before it is shown as it is (default log-history.ts's HISTORY_WAIT_MS). */
  historyWaitMs?: number;
}

export interface PodLogsSink {
  line(line: ComponentLine, showPod: boolean): void;
  warn(message: string): void;
}

interface PodService {
  id: string;
  /** The name in x-pods: the service name without the stack prefix. */
  name: string;
}

/** Logging drivers whose output the engine can read back (service logs). */
const READABLE_DRIVERS = new Set(["json-file", "local", "journald"]);

function shortName(stack: string, serviceName: string): string {
  return serviceName.startsWith(stack + "_") ? serviceName.slice(stack.length + 1) : serviceName;
}

/** Why a pod's components' output cannot be read through service logs, or undefined when it can. */
export function unreadableReason(spec: ServiceSpec, pod: string): { message: string; hint: string } | undefined {
  let logs = false;
  try {
    logs = parseControllerFlags(spec?.TaskTemplate?.ContainerSpec?.Args ?? []).flags.logs;
  } catch {
    logs = false;
  }
  if (!logs) {
    return {
      message: `pod ${pod} runs without --logs: its controller does not pass its components' output on`,
      hint: `set x-pods.${pod}.controller.logs: true (or add -logs to the controller's command) and deploy again; until then, docker logs <component container> on the node shows it`,
    };
  }
  const driver = spec?.TaskTemplate?.LogDriver?.Name as string | undefined;
  if (driver && !READABLE_DRIVERS.has(driver)) {
    return {
      message: `pod ${pod} logs with the "${driver}" logging driver, which the engine cannot read back`,
      hint: `read the logs where ${driver} sends them, or use json-file, local or journald for the pod's service`,
    };
  }
  return undefined;
}

function componentNames(spec: ServiceSpec): string[] | undefined {
  const labels: Record<string, string> = spec?.TaskTemplate?.ContainerSpec?.Labels ?? {};
  if (LABELS.composeFile in labels) return undefined;
  return Object.keys(labels).filter((l) => l.startsWith(LABELS.componentPrefix)).map((l) => l.slice(LABELS.componentPrefix.length)).sort();
}

/** The pods to read, checked: each one writes its components' output where the engine can read it back. */
export async function selectPods(swarm: Swarm, request: PodLogsRequest, warn: (message: string) => void): Promise<PodService[]> {
  checkStackName(request.stack);
  const services = await swarm.listServices(stackFilter(request.stack)).catch((error: unknown) => Promise.reject(engineFailure(error, `reading stack ${request.stack}`, swarm)));
  if (!services.length) throw new OperationError(`nothing found in stack ${request.stack}`, "podlike deploy creates it; docker stack ls lists the stacks");
  const pods = services.filter((s) => isPod(s.spec)).sort((a, b) => a.name.localeCompare(b.name));
  const listed = pods.map((s) => shortName(request.stack, s.name)).join(", ") || "none";

  let chosen = pods;
  if (request.pod !== undefined) {
    const wanted = [scopedName(request.stack, request.pod), request.pod];
    const service = services.find((s) => wanted.includes(s.name));
    if (!service) throw new OperationError(`stack ${request.stack} has no pod ${request.pod}`, `its pods: ${listed}`);
    if (!isPod(service.spec)) throw new OperationError(`${service.name} is a plain service, not a pod`, `docker service logs ${service.name} shows its output`);
    chosen = [service];
  } else if (!pods.length) {
    throw new OperationError(`stack ${request.stack} has no pods`, "docker service logs shows the output of its services");
  }

  const readable: PodService[] = [];
  for (const service of chosen) {
    const name = shortName(request.stack, service.name);
    const reason = unreadableReason(service.spec, name);
    if (reason) {
      // one pod asked for by name, or every pod unreadable: an error; otherwise say which are left out
      if (request.pod !== undefined || chosen.length === 1) throw new OperationError(reason.message, reason.hint);
      warn(`${reason.message}; left out`);
      continue;
    }
    if (request.component !== undefined) {
      const names = componentNames(service.spec);
      if (names && !names.includes(request.component)) {
        if (request.pod !== undefined) throw new OperationError(`pod ${name} has no component ${request.component}`, `its components: ${names.join(", ")}`);
        continue;
      }
    }
    readable.push({ id: service.id, name });
  }
  if (!readable.length) {
    const what = request.component !== undefined ? `no pod of stack ${request.stack} has a component ${request.component}` : `no pod of stack ${request.stack} passes its components' output on`;
    throw new OperationError(what, request.component !== undefined ? `its pods: ${listed}` : "set x-pods.<pod>.controller.logs: true and deploy again");
  }
  return readable;
}

async function requestLogs(swarm: Swarm, pod: PodService, options: ServiceLogOptions): Promise<Readable> {
  try {
    return await swarm.serviceLogs(pod.id, { timestamps: true, ...options });
  } catch (error) {
    const message = engineMessage(error);
    if (/does not support reading|configured logging driver/i.test(message)) {
      throw new OperationError(`pod ${pod.name}: the engine cannot read its logs back (${message})`, "use json-file, local or journald as the pod service's logging driver");
    }
    throw engineFailure(error, `reading the logs of pod ${pod.name}`, swarm);
  }
}

/**
 * Prints the pods' component lines: the history (the last `tail` of them),
 * then, with follow, every new line until the services end or `signal` aborts.
 */
export async function streamPodLogs(swarm: Swarm, request: PodLogsRequest, sink: PodLogsSink, signal?: AbortSignal): Promise<void> {
  const pods = await selectPods(swarm, request, (m) => sink.warn(m));
  // without a pod name every line says its pod, however many pods turn out readable
  const showPod = request.pod === undefined;
  const history: ComponentLine[] = [];
  // the newest line each pod's history held (shown or not): following resumes after it
  const seen = new Map<string, bigint>();
  const startedAt = BigInt(Date.now()) * 1_000_000n;
  const since = request.since !== undefined ? { since: request.since } : {};

  if (!request.follow || request.tail !== undefined) {
    const warnings = await Promise.all(
      pods.map((pod) =>
        readHistory(
          swarm,
          { id: pod.id, name: pod.name, request: (options) => requestLogs(swarm, pod, { follow: false, tail: "all", ...since, ...options }) },
          { since: request.since, signal, waitMs: request.historyWaitMs },
          (text, stream) => {
            const { at, line } = readLogLine(text, pod.name, stream, request.component);
            if (at !== undefined && at > (seen.get(pod.name) ?? 0n)) seen.set(pod.name, at);
            if (line) history.push(line);
          },
        ),
      ),
    );
    for (const line of lastLines(history, request.tail)) sink.line(line, showPod);
    for (const warning of warnings.flat()) sink.warn(warning);
    if (!request.follow) return;
  }

  await Promise.all(
    pods.map(async (pod) => {
      const after = request.tail !== undefined ? (seen.get(pod.name) ?? startedAt) : undefined;
      const from = after !== undefined ? { since: `${after / 1_000_000_000n}.${String(after % 1_000_000_000n).padStart(9, "0")}` } : since;
      const body = await requestLogs(swarm, pod, { follow: true, tail: "all", ...from, signal });
      await readReplyLines(body, (text, stream) => {
        const { line } = readLogLine(text, pod.name, stream, request.component);
        if (line && (after === undefined || line.at > after)) sink.line(line, showPod);
      }).catch((error) => {
        if (!signal?.aborted) throw engineFailure(error, `reading the logs of pod ${pod.name}`, swarm);
      });
    }),
  );
}
