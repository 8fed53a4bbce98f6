/**
 * The pod's life: remove orphans, start the pod's sandbox, run init components
 * one at a time, start components in dependency order (independent ones in
 * parallel), keep the health state, and tear everything down when a
 * component exits or stop() is called, at any moment, also mid-start.
 */
import { LABELS } from "../labels/protocol.js";
import { startWaves } from "../pod/graph.js";
import { EngineError, type Engine, type EngineEvent, type HealthStatus } from "./engine.js";
import type { ControllerFlags } from "./flags.js";
import { aggregate, type PodHealth } from "./health.js";
import type { HealthState } from "./health-state.js";
import { pipeComponentLogs, type LogSink } from "./logs.js";
import { isStaleComponent, removeOrphans } from "./orphans.js";
import type { MemberPlan, PodPlan } from "./plan.js";
import { createImageEnsurer } from "./pull.js";

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
}

export interface Supervisor {
  /** Runs the pod until it ends; resolves with the controller's exit code once everything is removed. */
  run(): Promise<number>;
  /** Tears the pod down (a signal): exit code 0 unless something else ended it first. */
  stop(reason: string): void;
}

interface Member {
  plan: MemberPlan;
  id?: string;
  started: boolean;
  running: boolean;
  exited: boolean;
  exitCode?: number;
  health?: HealthStatus;
  /** Inspected after start, so `health === undefined` means "no health check". */
  known: boolean;
  removed: boolean;
}

class Stopping extends Error {}

export function createSupervisor(options: SupervisorOptions): Supervisor {
  const { engine, logger, flags } = options;
  const clock = options.clock ?? systemClock;
  const plan = options.self;
  const selfId = plan.controller.id;
  const env = options.env ?? {};
  const startTimeoutMs = options.startTimeoutMs ?? 300_000;

  const members = new Map<string, Member>();
  for (const p of [...plan.init, ...plan.components]) {
    members.set(p.name, { plan: p, started: false, running: false, exited: false, known: false, removed: false });
  }
  const components = plan.components.map((p) => members.get(p.name)!);
  const byId = new Map<string, Member>();
  const earlyEvents = new Map<string, EngineEvent[]>();
  const completionExpected = new Set(
    plan.components.flatMap((p) => Object.entries(p.dependsOn).filter(([, d]) => d.condition === "service_completed_successfully").map(([dep]) => dep)),
  );

  let holderId: string | undefined;
  let stopping = false;
  let exitCode: number | undefined;
  let podStarted = false;
  let resolveStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => (resolveStop = resolve));
  const listeners = new Set<() => void>();
  const logPipes: Promise<void>[] = [];
  let lastHealth = "";

  const ensureImage = createImageEnsurer(engine, { always: flags.pull, env, log: (m) => logger.info(m) });

  function requestStop(code: number, reason: string): void {
    if (exitCode === undefined) {
      exitCode = code;
      logger.info(`stopping the pod: ${reason}`);
    }
    stopping = true;
    publishHealth();
    resolveStop();
    changed();
  }

  function changed(): void {
    for (const listener of [...listeners]) listener();
    publishHealth();
  }

  function podHealth(): PodHealth | "stopping" {
    if (stopping) return "stopping";
    return aggregate(
      components.map((m) => ({ name: m.plan.name, running: m.running, health: m.health })),
      podStarted && components.every((m) => m.known),
    );
  }

  function publishHealth(): void {
    if (!options.onHealth) return;
    const status = podHealth();
    const detail: Record<string, string> = {};
    for (const m of components) detail[m.plan.name] = m.exited ? `exited (${m.exitCode})` : !m.started ? "created" : (m.health ?? "running");
    const key = status + JSON.stringify(detail);
    if (key === lastHealth) return;
    lastHealth = key;
    options.onHealth({ status, components: detail, updated: new Date(clock.now()).toISOString() });
  }

  function register(member: Member, id: string): void {
    member.id = id;
    byId.set(id, member);
    for (const event of earlyEvents.get(id) ?? []) apply(member, event);
    earlyEvents.delete(id);
  }

  function onEvent(event: EngineEvent): void {
    if (event.id === holderId && event.kind === "die" && !stopping) {
      requestStop(1, `the pod's sandbox exited with code ${event.exitCode}`);
      return;
    }
    const member = byId.get(event.id);
    if (!member) {
      if (!podStarted) earlyEvents.set(event.id, [...(earlyEvents.get(event.id) ?? []), event]);
      return;
    }
    apply(member, event);
  }

  function apply(member: Member, event: EngineEvent): void {
    if (member.plan.role === "init") return;
    if (event.kind === "start") member.running = true;
    else if (event.kind === "health") member.health = event.health;
    else if (event.kind === "die") {
      member.running = false;
      member.exited = true;
      member.exitCode = event.exitCode;
      if (!stopping) {
        if (completionExpected.has(member.plan.name) && event.exitCode === 0) logger.info(`${member.plan.name} completed`);
        else requestStop(event.exitCode, `component ${member.plan.name} exited with code ${event.exitCode}`);
      }
    }
    changed();
  }

  function checkStopping(): void {
    if (stopping) throw new Stopping();
  }

  /** Resolves when `ready()` returns true; rejects on stop, on timeout, or when `ready` throws. */
  function waitUntil(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer: unknown;
      const done = (error?: Error) => {
        listeners.delete(check);
        clock.clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (stopping) return done(new Stopping());
        try {
          if (ready()) done();
        } catch (error) {
          done(error as Error);
        }
      };
      listeners.add(check);
      timer = clock.setTimeout(() => done(new Error(`gave up after ${Math.round(timeoutMs / 1000)} s waiting for ${what}; allow longer with PODLIKE_START_TIMEOUT=<seconds>`)), timeoutMs);
      check();
    });
  }

  async function create(member: { name: string; body: MemberPlan["body"] }): Promise<string> {
    try {
      return await engine.createContainer(member.name, member.body);
    } catch (error) {
      if (!(error instanceof EngineError) || error.statusCode !== 409) throw error;
      const existing = await engine.inspectContainer(member.name);
      if (!existing || !(await isStaleComponent(engine, existing, selfId))) {
        throw new Error(`the container name ${member.name} is taken by a container this pod does not own; remove it or rename the controller`);
      }
      logger.info(`removing stale ${member.name}`);
      await engine.removeContainer(existing.id, { force: true });
      return engine.createContainer(member.name, member.body);
    }
  }

  function followLogs(member: Member): void {
    if (!flags.logs || !options.output || !member.id) return;
    const tty = Boolean(member.plan.body.Tty);
    const id = member.id;
    logPipes.push(
      engine.followLogs(id).then(
        (stream) => pipeComponentLogs(member.plan.name, stream, tty, options.output!),
        (error) => logger.warn(`no logs for ${member.plan.name}: ${(error as Error).message}`),
      ),
    );
  }

  /** An engine step for one member; the engine's own message rarely names the component, so a failure does. */
  async function step<T>(member: Member, what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const role = member.plan.role === "init" ? "init component" : "component";
      throw new Error(`${role} ${member.plan.name}: ${what}: ${(error as Error).message}`);
    }
  }

  async function createMember(member: Member): Promise<void> {
    const p = member.plan;
    for (const warning of p.warnings) logger.warn(warning);
    const image = String(p.body.Image);
    // a pull cannot be cancelled; a stop does not wait for it (the image is simply there next time)
    await Promise.race([step(member, `cannot get image ${image}`, () => ensureImage(image)), stopRequested]);
    checkStopping();
    register(member, await step(member, "cannot create its container", () => create({ name: p.containerName, body: p.body })));
    checkStopping();
    if (p.archive) await step(member, "cannot copy its pod.copy files in", () => engine.putArchive(member.id!, "/", p.archive!));
  }

  async function startMember(member: Member): Promise<void> {
    checkStopping();
    await step(member, "cannot start", () => engine.startContainer(member.id!));
    member.started = true;
    member.running = !member.exited;
    followLogs(member);
  }

  async function runInit(member: Member): Promise<void> {
    await createMember(member);
    await startMember(member);
    const code = await Promise.race([engine.waitContainer(member.id!), stopRequested.then(() => undefined)]);
    if (code === undefined) throw new Stopping();
    await removeMember(member);
    if (code !== 0) requestStop(code, `init component ${member.plan.name} exited with code ${code}`);
    else logger.info(`init component ${member.plan.name} completed`);
  }

  function dependencyReady(member: Member, dep: string, condition: string): boolean {
    const d = members.get(dep);
    if (!d) return true;
    switch (condition) {
      case "service_healthy":
        if (d.exited) throw new Error(`${member.plan.name} needs ${dep} healthy, but ${dep} exited with code ${d.exitCode}`);
        if (d.known && d.health === undefined) throw new Error(`${member.plan.name} needs ${dep} healthy, but ${dep} has no health check; give ${dep} a healthcheck or depend on it with condition service_started`);
        if (d.health === "unhealthy") throw new Error(`${member.plan.name} needs ${dep} healthy, but ${dep} is unhealthy`);
        return d.health === "healthy";
      case "service_completed_successfully":
        if (d.exited && d.exitCode !== 0) throw new Error(`${member.plan.name} needs ${dep} to complete successfully, but it exited with code ${d.exitCode}`);
        return d.exited;
      default:
        return d.started;
    }
  }

  async function startComponent(member: Member, holderReady: Promise<void>): Promise<void> {
    await createMember(member);
    await holderReady;
    for (const [dep, spec] of Object.entries(member.plan.dependsOn)) {
      await waitUntil(() => dependencyReady(member, dep, spec.condition), startTimeoutMs, `${dep} (${spec.condition}) before starting ${member.plan.name}`);
    }
    await startMember(member);
    const info = await engine.inspectContainer(member.id!);
    // a health check may come from the image; inspect tells whether there is one (health undefined: none)
    if (info && !member.exited) member.health = member.health ?? info.health;
    member.known = true;
    changed();
  }

  async function startPod(subscribed: Promise<unknown>): Promise<void> {
    await Promise.all([subscribed, removeOrphans(engine, selfId, (m) => logger.info(m))]);
    checkStopping();
    let holderStarted: Promise<void> = Promise.resolve();
    if (plan.holder) {
      holderId = await create(plan.holder);
      checkStopping();
      // components are created while the holder starts; they start once it runs
      holderStarted = engine.startContainer(holderId);
      holderStarted.catch(() => {});
    }
    if (plan.init.length) {
      await holderStarted;
      for (const p of plan.init) await runInit(members.get(p.name)!);
      checkStopping();
    }
    const results = await Promise.allSettled(components.map((m) => startComponent(m, holderStarted)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected" && !(r.reason instanceof Stopping));
    if (failure) throw failure.reason;
    await holderStarted;
    checkStopping();
    podStarted = true;
    earlyEvents.clear();
    logger.info(`pod running: ${components.map((m) => m.plan.name).join(", ")}`);
    changed();
  }

  async function removeMember(member: Member): Promise<void> {
    if (!member.id || member.removed) return;
    await engine.removeContainer(member.id, { force: true });
    member.removed = true;
  }

  async function teardown(): Promise<void> {
    const problems: string[] = [];
    const attempt = async (what: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (error) {
        problems.push(`${what}: ${(error as Error).message}`);
      }
    };
    // stop in reverse dependency order, each with its own grace period...
    for (const wave of [...startWaves(plan.graph)].reverse()) {
      await Promise.all(
        wave.map((name) =>
          attempt(`stop ${name}`, async () => {
            const member = members.get(name)!;
            if (member.id && member.started && !member.exited) await engine.stopContainer(member.id, member.plan.stopTimeout);
          }),
        ),
      );
    }
    // ...then, with nothing left running in its namespaces, remove everything at once, the sandbox too
    await Promise.all([
      ...[...members.values()].map((member) => attempt(`remove ${member.plan.name}`, () => removeMember(member))),
      ...(holderId ? [attempt("remove the pod's sandbox", () => engine.removeContainer(holderId!, { force: true }))] : []),
    ]);
    for (const problem of problems) logger.error(problem);
    if (problems.length && exitCode === 0) exitCode = 1;
  }

  let stopReason: string | undefined;

  return {
    stop(reason: string) {
      stopReason = reason;
      requestStop(0, reason);
    },

    async run(): Promise<number> {
      publishHealth();
      const subscribed = engine.subscribeEvents({ [LABELS.controllerId]: selfId }, onEvent, (error) => {
        if (!stopping) requestStop(1, `lost the engine's event stream: ${error.message}`);
      });
      const started = startPod(subscribed).catch((error: unknown) => {
        if (error instanceof Stopping) return;
        logger.error((error as Error).message);
        requestStop(1, "the pod could not start");
      });
      await Promise.race([stopRequested, started.then(() => stopRequested)]);
      await started;
      await teardown();
      // the start may have failed before the subscription answered; an open event stream would keep the process alive
      (await subscribed.catch(() => undefined))?.close();
      await Promise.race([Promise.all(logPipes), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      const code = exitCode ?? 0;
      logger.info(`pod removed${stopReason ? ` (${stopReason})` : ""}; exit code ${code}`);
      return code;
    },
  };
}
