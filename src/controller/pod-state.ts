/**
 * The pod as data, and the one pure function that moves it on. The
 * supervisor feeds transition() what it did (created, started, removed...)
 * and what the engine said (events, inspections after a reconnect, the
 * connection lost or back); every decision about the pod (when it stops,
 * with which exit code, whether a dependency is ready, what its health is)
 * is made here, so it can be tested without an engine or a clock.
 */
import type { EngineEvent, HealthStatus } from "../engine/container-engine.js";
import { aggregate, type PodHealth } from "./health.js";

/** pending: not created yet; removed: its container is gone (init components, and at teardown). */
export type MemberPhase = "pending" | "created" | "running" | "exited" | "removed";
/** unknown: not inspected since its start; none: it has no health check. */
export type MemberHealth = "unknown" | "none" | HealthStatus;

export interface MemberState {
  role: "init" | "component";
  phase: MemberPhase;
  id?: string;
  /** Undefined once exited: the container was gone before its code was known; its die event may still tell it. */
  exitCode?: number;
  health: MemberHealth;
  /** Another component waits for it with service_completed_successfully: exiting 0 is its job, not the pod's end. */
  completes: boolean;
}

export interface PodState {
  /** starting until every component has started; stopping once anything ends the pod. */
  phase: "starting" | "running" | "stopping";
  members: Record<string, MemberState>;
  /** Component names in declaration order (members also holds init components). */
  components: string[];
  holder?: { id: string; running: boolean };
  engine: "connected" | "lost";
  /** Time (EngineEvent.time) of the last engine event seen: a reconnect replays from there. */
  seenUntil?: string;
  /** Why the pod ends and with which code; the first cause wins, but see engineGone. `member`: whose unknown exit code it waits for (1 until then). */
  exit?: { code: number; reason: string; member?: string };
  /** Set when a signal asked for the stop (even when something else ended the pod first). */
  signal?: string;
  /** The engine went away while the pod stopped: its containers go with it, nothing is left to remove. */
  engineGone?: boolean;
  /** Engine events for containers not yet registered (a start can be reported before create returns). */
  early: Record<string, EngineEvent[]>;
}

export type PodEvent =
  | { type: "created"; name: string; id: string }
  | { type: "started"; name: string }
  /** Inspected after its start, or on a resync after an outage (`info` undefined: the container no longer exists). */
  | { type: "inspected"; name: string; info?: { running: boolean; exitCode: number; health?: HealthStatus }; resync?: boolean }
  | { type: "removed"; name: string }
  | { type: "initDone"; name: string; exitCode: number }
  | { type: "holderCreated"; id: string }
  | { type: "holderInspected"; info?: { running: boolean; exitCode: number } }
  | { type: "engineEvent"; event: EngineEvent }
  | { type: "podStarted" }
  | { type: "startFailed" }
  | { type: "signal"; reason: string }
  | { type: "teardownFailed" }
  | { type: "engineLost"; reason: string }
  | { type: "engineBack"; outageMs: number }
  | { type: "engineGone" };

export interface Step {
  state: PodState;
  /** What the controller should say about the change, one line each. */
  notes: string[];
}

export interface MemberSeed {
  name: string;
  role: "init" | "component";
  dependsOn: Record<string, { condition: string }>;
}

export function initialPodState(init: readonly MemberSeed[], components: readonly MemberSeed[]): PodState {
  const completes = new Set(
    components.flatMap((c) => Object.entries(c.dependsOn).filter(([, d]) => d.condition === "service_completed_successfully").map(([dep]) => dep)),
  );
  const members: Record<string, MemberState> = {};
  for (const m of [...init, ...components]) members[m.name] = { role: m.role, phase: "pending", health: "unknown", completes: completes.has(m.name) };
  return { phase: "starting", members, components: components.map((c) => c.name), engine: "connected", early: {} };
}

export function transition(state: PodState, event: PodEvent): Step {
  const notes: string[] = [];
  const next = reduce(state, event, notes);
  return { state: next, notes };
}

function reduce(state: PodState, event: PodEvent, notes: string[]): PodState {
  switch (event.type) {
    case "created": {
      let next = patchMember(state, event.name, { phase: "created", id: event.id });
      const early = next.early[event.id] ?? [];
      next = { ...next, early: without(next.early, event.id) };
      for (const e of early) next = reduce(next, { type: "engineEvent", event: e }, notes);
      return next;
    }
    case "started": {
      const m = state.members[event.name]!;
      // a die reported before the start call returned is kept
      return m.phase === "created" ? patchMember(state, event.name, { phase: "running" }) : state;
    }
    case "inspected":
      return inspected(state, event.name, event.info, event.resync === true, notes);
    case "removed":
      return patchMember(state, event.name, { phase: "removed" });
    case "initDone": {
      const next = patchMember(state, event.name, { phase: "exited", exitCode: event.exitCode });
      if (event.exitCode !== 0) return stop(next, event.exitCode, `init component ${event.name} exited with code ${event.exitCode}`, notes);
      notes.push(`init component ${event.name} completed`);
      return next;
    }
    case "holderCreated": {
      let next: PodState = { ...state, holder: { id: event.id, running: true }, early: without(state.early, event.id) };
      for (const e of state.early[event.id] ?? []) next = reduce(next, { type: "engineEvent", event: e }, notes);
      return next;
    }
    case "holderInspected":
      if (!state.holder || event.info?.running) return state;
      return holderDied(state, event.info ? `the sandbox exited with code ${event.info.exitCode}` : "the sandbox was removed", notes);
    case "engineEvent":
      return engineEvent({ ...state, seenUntil: laterTime(state.seenUntil, event.event.time) }, event.event, notes);
    case "podStarted":
      if (state.phase !== "starting") return state;
      notes.push(`pod running: ${state.components.join(", ")}`);
      return { ...state, phase: "running", early: {} };
    case "startFailed":
      return stop(state, 1, "the pod could not start", notes);
    case "signal":
      return { ...stop(state, 0, event.reason, notes), signal: event.reason };
    case "teardownFailed":
      return state.exit?.code === 0 && !state.engineGone ? { ...state, exit: { ...state.exit, code: 1 } } : state;
    case "engineLost":
      if (state.engine === "lost") return state;
      notes.push(
        state.phase === "stopping"
          ? `lost the engine (${event.reason})`
          : `lost the engine (${event.reason}); the pod keeps running while the controller reconnects`,
      );
      return { ...state, engine: "lost" };
    case "engineBack":
      if (state.engine === "connected") return state;
      notes.push(`the engine is back after ${(event.outageMs / 1000).toFixed(1)} s; checking every member`);
      return { ...state, engine: "connected" };
    case "engineGone":
      return { ...state, phase: "stopping", engineGone: true, exit: { code: 0, reason: "the engine went away" } };
  }
}

function engineEvent(state: PodState, event: EngineEvent, notes: string[]): PodState {
  if (state.holder && event.id === state.holder.id) {
    return event.kind === "die" ? holderDied(state, `the sandbox exited with code ${event.exitCode}`, notes) : state;
  }
  const name = memberById(state, event.id);
  if (name === undefined) {
    if (state.phase !== "starting") return state;
    return { ...state, early: { ...state.early, [event.id]: [...(state.early[event.id] ?? []), event] } };
  }
  const m = state.members[name]!;
  if (event.kind === "die" && m.exitCode === undefined && (m.phase === "exited" || m.phase === "removed")) return exitCodeLearnt(state, name, event.exitCode, notes);
  // init components are followed through their wait, not their events
  if (m.role === "init" || m.phase === "removed") return state;
  if (event.kind === "start") return m.phase === "created" ? patchMember(state, name, { phase: "running" }) : state;
  if (event.kind === "health") return m.phase === "exited" ? state : patchMember(state, name, { health: event.health });
  return exited(state, name, event.exitCode, `component ${name} exited with code ${event.exitCode}`, notes);
}

function inspected(state: PodState, name: string, info: { running: boolean; exitCode: number; health?: HealthStatus } | undefined, resync: boolean, notes: string[]): PodState {
  const m = state.members[name]!;
  if (m.phase === "removed" || m.phase === "exited") {
    return m.health === "unknown" ? patchMember(state, name, { health: info?.health ?? "none" }) : state;
  }
  // auto-removed before it could be inspected: its die event (on its way, or replayed after an outage) may still bring the code
  if (!info) {
    const when = resync ? "it was removed while the engine was out of reach" : "it exited and was removed before it could be inspected";
    return exited(state, name, undefined, `component ${name} is gone: ${when}, its exit code unknown`, notes);
  }
  if (!info.running && m.phase === "running") return exited(state, name, info.exitCode, `component ${name} exited with code ${info.exitCode}`, notes);
  // an event already told the health, and events come in order while an inspection may be older than the last one
  return m.health === "unknown" ? patchMember(state, name, { health: info.health ?? "none" }) : state;
}

function exited(state: PodState, name: string, exitCode: number | undefined, reason: string, notes: string[]): PodState {
  const m = state.members[name]!;
  if (m.phase === "exited" || m.phase === "removed") return state;
  const next = patchMember(state, name, { phase: "exited", exitCode });
  if (state.phase === "stopping") return next;
  if (m.completes && exitCode === 0) {
    notes.push(`${name} completed`);
    return next;
  }
  if (exitCode === undefined) {
    // whether it completed is not known either: the die event decides that too
    if (m.completes) return next;
    const stopped = stop(next, 1, reason, notes);
    return stopped.exit?.reason === reason ? { ...stopped, exit: { ...stopped.exit, member: name } } : stopped;
  }
  return stop(next, exitCode, reason, notes);
}

/** The die event of a member whose container was gone before it was inspected: now its code is known. */
function exitCodeLearnt(state: PodState, name: string, exitCode: number, notes: string[]): PodState {
  const m = state.members[name]!;
  const next = patchMember(state, name, { exitCode });
  if (next.exit?.member === name) {
    notes.push(`component ${name} exited with code ${exitCode}`);
    return { ...next, exit: { code: exitCode, reason: `component ${name} exited with code ${exitCode}` } };
  }
  if (m.completes && !next.exit) {
    if (exitCode === 0) {
      notes.push(`${name} completed`);
      return next;
    }
    return stop(next, exitCode, `component ${name} exited with code ${exitCode}`, notes);
  }
  return next;
}

function holderDied(state: PodState, reason: string, notes: string[]): PodState {
  const next: PodState = { ...state, holder: { ...state.holder!, running: false } };
  return state.phase === "stopping" ? next : stop(next, 1, reason, notes);
}

function stop(state: PodState, code: number, reason: string, notes: string[]): PodState {
  if (state.exit) return { ...state, phase: "stopping" };
  notes.push(`stopping the pod: ${reason}`);
  return { ...state, phase: "stopping", exit: { code, reason } };
}

function patchMember(state: PodState, name: string, patch: Partial<MemberState>): PodState {
  return { ...state, members: { ...state.members, [name]: { ...state.members[name]!, ...patch } } };
}

function memberById(state: PodState, id: string): string | undefined {
  for (const [name, m] of Object.entries(state.members)) if (m.id === id) return name;
  return undefined;
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const { [key]: _, ...rest } = record;
  return rest;
}

function laterTime(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return BigInt(b) > BigInt(a) ? b : a;
}

// ---- what the orchestrator asks of a state (pure) ----

/** Has it been started (it may have exited since)? */
export function hasStarted(m: MemberState): boolean {
  return m.phase === "running" || m.phase === "exited" || (m.phase === "removed" && m.exitCode !== undefined);
}

export function podHealth(state: PodState): PodHealth | "stopping" {
  if (state.phase === "stopping") return "stopping";
  const components = state.components.map((name) => [name, state.members[name]!] as const);
  return aggregate(
    components.map(([name, m]) => ({ name, running: m.phase === "running", health: m.health === "unknown" || m.health === "none" ? undefined : m.health })),
    state.phase === "running" && components.every(([, m]) => m.health !== "unknown"),
  );
}

/** Each component's state for the health file: created, running, starting/healthy/unhealthy, exited (code). */
export function componentDetail(state: PodState): Record<string, string> {
  const detail: Record<string, string> = {};
  for (const name of state.components) {
    const m = state.members[name]!;
    detail[name] =
      m.phase === "exited" && m.exitCode === undefined
        ? "exited (code unknown)"
        : m.exitCode !== undefined && (m.phase === "exited" || m.phase === "removed")
          ? `exited (${m.exitCode})`
          : !hasStarted(m)
            ? "created"
            : m.health === "unknown" || m.health === "none"
              ? "running"
              : m.health;
  }
  return detail;
}

/** Whether `member` may start as far as `dep` is concerned; throws when it never will. */
export function dependencyReady(state: PodState, member: string, dep: string, condition: string): boolean {
  const d = state.members[dep];
  if (!d) return true;
  switch (condition) {
    case "service_healthy":
      if (d.phase === "exited") throw new Error(`${member} needs ${dep} healthy, but ${dep} exited${d.exitCode === undefined ? "" : ` with code ${d.exitCode}`}`);
      if (d.health === "none") throw new Error(`${member} needs ${dep} healthy, but ${dep} has no health check; give ${dep} a healthcheck or depend on it with condition service_started`);
      if (d.health === "unhealthy") throw new Error(`${member} needs ${dep} healthy, but ${dep} is unhealthy`);
      return d.health === "healthy";
    case "service_completed_successfully":
      // an exit whose code is not known yet waits for its die event
      if (d.phase === "exited" && d.exitCode !== undefined && d.exitCode !== 0) throw new Error(`${member} needs ${dep} to complete successfully, but it exited with code ${d.exitCode}`);
      return d.phase === "exited" && d.exitCode === 0;
    default:
      return hasStarted(d);
  }
}

/** The running members a teardown must stop, by name. */
export function toStop(state: PodState): Set<string> {
  return new Set(Object.entries(state.members).filter(([, m]) => m.phase === "running" && m.id).map(([name]) => name));
}

/** The engine's `since` for a reconnect: the last event seen, else a moment before the loss. */
export function replayFrom(state: PodState, lostAtMs: number): string {
  return state.seenUntil ?? (BigInt(Math.max(0, lostAtMs - 1000)) * 1_000_000n).toString();
}
