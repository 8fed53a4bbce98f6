/**
 * The pod's life, as side effects: remove orphans, start the sandbox, run
 * init components one at a time, start components in dependency order
 * (independent ones in parallel), follow the engine's events, reconnect when
 * the engine goes away and check every member when it is back, and tear
 * everything down once the pod stops, at any moment, also mid-start. What
 * the pod's state is and when it stops is decided by pod-state.ts; this
 * module only reports to it what happened and acts on what it says.
 */
import type { Readable } from "node:stream";
import { LABELS } from "../labels/protocol.js";
import { startWaves } from "../pod/graph.js";
import { EngineError, isMissingImage, isUnreachable, type Engine, type EventSubscription } from "../engine/container-engine.js";
import type { ControllerFlags } from "./flags.js";
import type { HealthState } from "./health-state.js";
import { pipeComponentLogs, type LogSink } from "./logs.js";
import { isStaleComponent, removeOrphans } from "./orphans.js";
import type { MemberPlan, PodPlan } from "./plan.js";
import {
  componentDetail,
  dependencyReady,
  initialPodState,
  podHealth,
  replayFrom,
  toStop,
  transition,
  type PodEvent,
  type PodState,
} from "./pod-state.js";
import { createImageEnsurer } from "./pull.js";
import { prepareSecretStore, removeSecretStore } from "./secret-store.js";
import { connectLink, type ConnectLink, type PodLink } from "./pod-link.js";
import { reconnectDelay } from "./reconnect.js";
import type { StartTrace } from "./start-trace.js";

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { unref?(): void } | unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SupervisorOptions {
  engine: Engine;
  logger: Logger;
  clock?: Clock;
  /** The controller's own container, already inspected and planned. */
  self: PodPlan;
  flags: ControllerFlags;
  /** Where --logs writes. */
  output?: { stdout: LogSink; stderr: LogSink };
  /** Called with every change of the pod's health (the CLI writes the state file). */
  onHealth?: (state: Omit<HealthState, "pid" | "pidStart">) => void;
  env?: Record<string, string | undefined>;
  /** How long a component may wait on its depends_on conditions (default 300 s). */
  startTimeoutMs?: number;
  /** Links to the sandbox and the keeper once they run (default: pod-link.ts's connectLink, a unix socket). */
  connectLink?: ConnectLink;
  /** Notes each step of the start (PODLIKE_TRACE_START). */
  trace?: StartTrace;
}

export interface Supervisor {
  /** Runs the pod until it ends; resolves with the controller's exit code once everything is removed. */
  run(): Promise<number>;
  /** Tears the pod down (a signal): exit code 0 unless something else ended it first. */
  stop(reason: string): void;
}


class Stopping extends Error {}

/** How often a create whose name is taken by a stale container tries again after removing it. */
const STALE_NAME_ATTEMPTS = 5;

/** How long a resync waits for the replayed events of a member whose container is already gone. */
const REPLAY_GRACE_MS = 1_000;

/** A step that could not finish because the engine stopped answering; the teardown waits for it, the start gives up. */
interface Problem {
  what: string;
  error: unknown;
}

export function createSupervisor(options: SupervisorOptions): Supervisor {
  const { engine, logger, flags } = options;
  const clock = options.clock ?? systemClock;
  const plan = options.self;
  const selfId = plan.controller.id;
  const env = options.env ?? {};
  const startTimeoutMs = options.startTimeoutMs ?? 300_000;
  const plans = new Map([...plan.init, ...plan.components].map((p) => [p.name, p]));
  const labels = { [LABELS.controllerId]: selfId };
  const connect = options.connectLink ?? ((name: string) => connectLink(name));
  const trace = options.trace ?? (() => {});
  /** Held open until the pod is removed: the sandbox and the keeper end when these do. */
  const links: PodLink[] = [];

  let state: PodState = initialPodState(plan.init, plan.components);
  let resolveStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => (resolveStop = resolve));
  const listeners = new Set<() => void>();
  const logPipes: Promise<void>[] = [];
  let lastHealth = "";
  let subscription: EventSubscription | undefined;
  let reconnect: { timer?: unknown; attempt: number; lostAt: number } | undefined;
  let finished = false;

  const ensureImage = createImageEnsurer(engine, { always: flags.pull, env, log: (m) => logger.info(m) });

  /** The only way the pod's state changes. */
  function dispatch(event: PodEvent): void {
    const before = state;
    const step = transition(state, event);
    state = step.state;
    for (const note of step.notes) logger.info(note);
    if (before.phase !== "stopping" && state.phase === "stopping") resolveStop();
    if (before.engine === "connected" && state.engine === "lost") scheduleReconnect(clock.now());
    for (const listener of [...listeners]) listener();
    publishHealth();
  }

  function publishHealth(): void {
    if (!options.onHealth) return;
    const status = podHealth(state);
    const detail = componentDetail(state);
    const key = status + JSON.stringify(detail);
    if (key === lastHealth) return;
    lastHealth = key;
    options.onHealth({ status, components: detail, updated: new Date(clock.now()).toISOString() });
  }

  function checkStopping(): void {
    if (state.phase === "stopping") throw new Stopping();
  }

  /** Resolves when `ready()` returns true; rejects on stop (unless `duringStop`), on timeout, or when `ready` throws. */
  function waitUntil(ready: () => boolean, timeoutMs: number | undefined, what: string, duringStop = false): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer: unknown;
      const done = (error?: Error) => {
        listeners.delete(check);
        if (timer !== undefined) clock.clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (!duringStop && state.phase === "stopping") return done(new Stopping());
        try {
          if (ready()) done();
        } catch (error) {
          done(error as Error);
        }
      };
      listeners.add(check);
      if (timeoutMs !== undefined) {
        timer = clock.setTimeout(() => done(new Error(`gave up after ${Math.round(timeoutMs / 1000)} s waiting for ${what}; allow longer with PODLIKE_START_TIMEOUT=<seconds>`)), timeoutMs);
      }
      check();
    });
  }

  // ---- the engine's events, and getting them back after the engine went away ----

  function subscribe(since?: string): Promise<EventSubscription> {
    let current: EventSubscription | undefined;
    const lost = (error: Error) => {
      if (current === subscription && !finished) dispatch({ type: "engineLost", reason: error.message });
    };
    return engine.subscribeEvents(labels, (event) => dispatch({ type: "engineEvent", event }), lost, since ? { since } : undefined).then((s) => {
      current = s;
      subscription = s;
      return s;
    });
  }

  function scheduleReconnect(lostAt: number): void {
    if (finished) return;
    reconnect ??= { attempt: 0, lostAt };
    if (reconnect.timer !== undefined) return;
    reconnect.timer = clock.setTimeout(() => void tryReconnect(), reconnectDelay(reconnect.attempt++));
  }

  async function tryReconnect(): Promise<void> {
    const attempt = reconnect!;
    attempt.timer = undefined;
    if (finished) return;
    let renewed: EventSubscription;
    try {
      subscription?.close();
      subscription = undefined;
      renewed = await subscribe(replayFrom(state, attempt.lostAt));
    } catch {
      // still away: try again later, quietly (the loss was said once)
      scheduleReconnect(attempt.lostAt);
      return;
    }
    if (finished) {
      renewed.close();
      return;
    }
    reconnect = undefined;
    dispatch({ type: "engineBack", outageMs: clock.now() - attempt.lostAt });
    await resync(attempt.lostAt).catch((error: unknown) => {
      if (isUnreachable(error)) dispatch({ type: "engineLost", reason: (error as Error).message });
      else logger.warn(`cannot check the pod's members: ${(error as Error).message}`);
    });
  }

  /** After an outage: what the events did not say (a member that died or vanished meanwhile) the containers do. */
  async function resync(lostAt: number): Promise<void> {
    const holder = state.holder;
    const members = Object.entries(state.members).filter(([, m]) => m.id && (m.phase === "running" || m.phase === "created"));
    const gone: string[] = [];
    await Promise.all([
      ...(holder ? [engine.inspectContainer(holder.id).then((info) => dispatch({ type: "holderInspected", info }))] : []),
      ...members.map(async ([name, m]) => {
        const info = await engine.inspectContainer(m.id!);
        if (!info) return void gone.push(name);
        dispatch({ type: "inspected", name, info });
        if (info.running && state.phase !== "stopping") followLogs(name, lostAt / 1000);
      }),
    ]);
    if (!gone.length) return;
    // a component that exited is auto-removed at once; its exit code comes with the replayed die event, which may trail the inspection
    await new Promise<void>((resolve) => clock.setTimeout(resolve, REPLAY_GRACE_MS));
    for (const name of gone) dispatch({ type: "inspected", name, info: undefined, resync: true });
  }

  // ---- starting the pod ----

  async function link(what: string, name: string): Promise<void> {
    try {
      links.push(await connect(name));
      trace(`linked to the ${what}`);
    } catch (error) {
      throw new Error(`cannot link to the ${what}: ${(error as Error).message}`);
    }
  }

  async function create(member: { name: string; body: MemberPlan["body"] }): Promise<string> {
    // the orphan sweep runs meanwhile and may be removing the same stale container: a name still taken is tried again
    for (let attempt = 1; ; attempt++) {
      try {
        return await engine.createContainer(member.name, member.body);
      } catch (error) {
        if (!(error instanceof EngineError) || error.statusCode !== 409 || attempt === STALE_NAME_ATTEMPTS) throw error;
      }
      const existing = await engine.inspectContainer(member.name);
      if (!existing) continue;
      if (!(await isStaleComponent(engine, existing, selfId))) {
        throw new Error(`the container name ${member.name} is taken by a container this pod does not own; remove it or rename the controller`);
      }
      logger.info(`removing stale ${member.name}`);
      await engine.removeContainer(existing.id, { force: true });
    }
  }

  /** --logs: a member's output from `sinceSeconds` on, after an outage. */
  function followLogs(name: string, sinceSeconds: number): void {
    const id = state.members[name]?.id;
    if (!flags.logs || !options.output || !id) return;
    pipeLogs(name, engine.followLogs(id, { sinceSeconds }));
  }

  /** --logs: a member's output, attached before its start (an auto-removed member's logs may be gone before they could be read). */
  async function attachOutput(name: string, id: string): Promise<void> {
    if (!flags.logs || !options.output) return;
    const attached = engine.attachOutput(id);
    pipeLogs(name, attached);
    await attached.catch(() => undefined);
  }

  function pipeLogs(name: string, stream: Promise<Readable>): void {
    const tty = Boolean(plans.get(name)!.body.Tty);
    logPipes.push(
      stream.then(
        (output) => pipeComponentLogs(name, output, tty, options.output!),
        (error) => logger.warn(`no logs for ${name}: ${(error as Error).message}`),
      ),
    );
  }

  /** An engine step for one member; the engine's own message rarely names the component, so a failure does. */
  async function step<T>(p: MemberPlan, what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const role = p.role === "init" ? "init component" : "component";
      throw new Error(`${role} ${p.name}: ${what}: ${(error as Error).message}`);
    }
  }

  /** Pulls `image` (once per image); a pull cannot be cancelled, and a stop does not wait for it (the image is simply there next time). */
  async function getImage(p: MemberPlan, image: string): Promise<void> {
    await Promise.race([step(p, `cannot get image ${image}`, () => ensureImage(image)), stopRequested]);
    checkStopping();
  }

  /** As `docker run` does: the create comes first, and only an image the node lacks is pulled (with --pull, every image first). */
  async function createMemberContainer(p: MemberPlan): Promise<string> {
    const image = String(p.body.Image);
    if (flags.pull) await getImage(p, image);
    const member = { name: p.containerName, body: p.body };
    const id = await step(p, "cannot create its container", () =>
      create(member).catch((error: unknown) => {
        if (flags.pull || !isMissingImage(error)) throw error;
        return undefined;
      }),
    );
    if (id !== undefined) return id;
    await getImage(p, image);
    return step(p, "cannot create its container", () => create(member));
  }

  async function createMember(p: MemberPlan): Promise<string> {
    for (const warning of p.warnings) logger.warn(warning);
    const id = await createMemberContainer(p);
    dispatch({ type: "created", name: p.name, id });
    trace(`created ${p.name}`);
    checkStopping();
    if (p.archive) await step(p, "cannot copy its pod.copy files in", () => engine.putArchive(id, "/", p.archive!));
    for (const f of p.secretFolders ?? []) await step(p, `cannot copy its secrets into ${f.folder}`, () => engine.putArchive(id, f.folder, f.archive));
    return id;
  }

  async function startMember(p: MemberPlan, id: string): Promise<void> {
    checkStopping();
    await attachOutput(p.name, id);
    await step(p, "cannot start", () => engine.startContainer(id));
    trace(`started ${p.name}`);
    dispatch({ type: "started", name: p.name });
  }

  async function runInit(p: MemberPlan): Promise<void> {
    const id = await createMember(p);
    const exited = engine.waitContainer(id, { nextExit: true });
    exited.catch(() => undefined); // a failed start is reported by the start; the wait's own failure then goes unread
    await startMember(p, id);
    const code = await Promise.race([exited, stopRequested.then(() => undefined)]);
    if (code === undefined) throw new Stopping();
    await removeMember(p.name);
    dispatch({ type: "initDone", name: p.name, exitCode: code });
  }

  async function startComponent(p: MemberPlan, holderReady: Promise<void>): Promise<void> {
    const id = await createMember(p);
    await holderReady;
    for (const [dep, spec] of Object.entries(p.dependsOn)) {
      await waitUntil(() => dependencyReady(state, p.name, dep, spec.condition), startTimeoutMs, `${dep} (${spec.condition}) before starting ${p.name}`);
    }
    await startMember(p, id);
    // a health check may come from the image; inspect tells whether there is one
    const info = await engine.inspectContainer(id);
    dispatch({ type: "inspected", name: p.name, info: info && { running: true, exitCode: info.exitCode, health: info.health } });
  }

  async function startPod(subscribed: Promise<unknown>): Promise<void> {
    // The sandbox and the members are created while the orphans go and the events are subscribed to; nothing
    // starts before both are done, so no start or exit goes unseen and no orphan shares the pod's namespaces.
    const ownNames = new Set([plan.holder?.name, plan.secretStore?.keeper.name, ...[...plans.values()].map((p) => p.containerName)].filter((n) => n !== undefined));
    const ready = Promise.all([
      subscribed.then(() => trace("subscribed to events")),
      removeOrphans(engine, selfId, (m) => logger.info(m), ownNames).then(() => trace("orphans removed")),
    ]).then((): void => undefined);
    ready.catch(() => {});
    if (plan.secretStore) {
      // the sweep removes secret volumes an earlier run of this controller left, under the names about to be used
      await ready;
      checkStopping();
      await prepareSecretStore(engine, plan.secretStore, create, (name) => link("secrets' keeper", name)).catch((error: unknown) => {
        throw new Error(`cannot prepare the tmpfs for the members' secrets: ${(error as Error).message}`);
      });
      checkStopping();
    }
    let holderStarted: Promise<void> = ready;
    if (plan.holder) {
      const holder = plan.holder;
      const holderId = await create(holder);
      dispatch({ type: "holderCreated", id: holderId });
      trace("created the sandbox");
      checkStopping();
      // components are created while the holder starts; they start once it runs and is linked, so none can take the link first
      holderStarted = ready.then(() => {
        checkStopping();
        return engine.startContainer(holderId);
      }).then(() => {
        trace("started the sandbox");
        return link("sandbox", holder.link);
      });
      holderStarted.catch(() => {});
    }
    if (plan.init.length) {
      await holderStarted;
      for (const p of plan.init) await runInit(p);
      checkStopping();
    }
    const results = await Promise.allSettled(plan.components.map((p) => startComponent(p, holderStarted)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected" && !(r.reason instanceof Stopping));
    if (failure) throw failure.reason;
    await holderStarted;
    checkStopping();
    dispatch({ type: "podStarted" });
  }

  // ---- tearing it down ----

  async function removeMember(name: string): Promise<void> {
    const m = state.members[name]!;
    if (!m.id || m.phase === "removed") return;
    await engine.removeContainer(m.id, { force: true });
    dispatch({ type: "removed", name });
  }

  /** One pass over everything the pod made; what failed is returned, not thrown. */
  async function removeAll(): Promise<Problem[]> {
    const problems: Problem[] = [];
    const attempt = async (what: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (error) {
        problems.push({ what, error });
      }
    };
    // stop in reverse dependency order, each with its own grace period...
    const running = toStop(state);
    for (const wave of [...startWaves(plan.graph)].reverse()) {
      await Promise.all(
        wave
          .filter((name) => running.has(name))
          .map((name) => attempt(`stop ${name}`, () => engine.stopContainer(state.members[name]!.id!, plans.get(name)!.stopTimeout))),
      );
    }
    // ...then, with nothing left running in its IPC namespace, remove everything at once, the holder too
    const holderId = state.holder?.id;
    await Promise.all([
      ...[...plans.keys()].map((name) => attempt(`remove ${name}`, () => removeMember(name))),
      ...(holderId ? [attempt("remove the sandbox", () => engine.removeContainer(holderId, { force: true }))] : []),
    ]);
    // the secrets' volumes can go once no member uses them
    if (plan.secretStore) await attempt("remove the members' secrets", () => removeSecretStore(engine, plan.secretStore!));
    return problems;
  }

  /**
   * Removes the pod. When the engine does not answer, a stop by signal ends
   * here (an engine that stops takes its containers with it); any other stop
   * waits for the engine to come back, or for a signal.
   */
  async function teardown(): Promise<void> {
    for (;;) {
      if (state.engine === "lost" && state.signal !== undefined) return dispatch({ type: "engineGone" });
      const problems = await removeAll();
      const unreachable = problems.find((p) => isUnreachable(p.error));
      if (!unreachable) {
        for (const p of problems) logger.error(`${p.what}: ${(p.error as Error).message}`);
        if (problems.length) dispatch({ type: "teardownFailed" });
        return;
      }
      dispatch({ type: "engineLost", reason: (unreachable.error as Error).message });
      await waitUntil(() => state.engine === "connected" || state.signal !== undefined, undefined, "the engine", true);
    }
  }

  return {
    stop(reason: string) {
      dispatch({ type: "signal", reason });
    },

    async run(): Promise<number> {
      publishHealth();
      const subscribed = subscribe();
      const started = startPod(subscribed).catch((error: unknown) => {
        if (error instanceof Stopping) return;
        logger.error((error as Error).message);
        dispatch({ type: "startFailed" });
      });
      await Promise.race([stopRequested, started.then(() => stopRequested)]);
      await started;
      await teardown();
      finished = true;
      if (reconnect?.timer !== undefined) clock.clearTimeout(reconnect.timer);
      // the start may have failed before the subscription answered; an open event stream would keep the process alive
      await subscribed.catch(() => undefined);
      subscription?.close();
      // log streams end with their containers; one that does not may delay the exit by a second, no more
      let timer: unknown;
      await Promise.race([Promise.all(logPipes), new Promise<void>((resolve) => (timer = clock.setTimeout(resolve, 1000)))]);
      clock.clearTimeout(timer);
      for (const l of links) l.close();
      const code = state.exit?.code ?? 0;
      const why = state.signal ? ` (${state.signal})` : "";
      if (state.engineGone) logger.info(`the engine went away; the pod's containers stop with it${why}; exit code ${code}`);
      else logger.info(`pod removed${why}; exit code ${code}`);
      return code;
    },
  };
}
