/** A controller on the FakeEngine, ready to run: the pieces unit tests of the supervisor need. */
import { FakeEngine, type FakeEngineOptions } from "../support/fake-engine.js";
import { DEFAULT_FLAGS, type ControllerFlags } from "../../src/controller/flags.js";
import { planPod } from "../../src/controller/plan.js";
import { createSupervisor, type Clock, type Supervisor } from "../../src/controller/supervisor.js";
import type { ConnectLink } from "../../src/controller/pod-link.js";

export const IMAGE = "busybox:test";
export const CONTROLLER_IMAGE = "podlike/controller:test";

export interface FakePod {
  engine: FakeEngine;
  supervisor: Supervisor;
  controllerId: string;
  messages: string[];
  health: string[];
  stdout: string[];
  stderr: string[];
  /** The links the controller made (sandbox, keeper), open or closed. */
  links: { name: string; open: boolean }[];
}

export interface FakePodOptions extends FakeEngineOptions {
  flags?: Partial<ControllerFlags>;
  ipcMode?: string;
  cgroupParent?: string;
  startTimeoutMs?: number;
  mounts?: { Type: string; Source: string; Target: string }[];
  /** What the controller reads from its own filesystem (pod.compose.file). */
  readFile?: (path: string) => string;
  /** Runs before the supervisor is made (seed other containers). */
  prepare?: (engine: FakeEngine) => void;
  clock?: Clock;
  /** Replaces the fake link (which records "link <name>" in engine.calls and always connects). */
  connectLink?: ConnectLink;
}

export async function fakePod(labels: Record<string, string>, options: FakePodOptions = {}): Promise<FakePod> {
  const engine = new FakeEngine({ images: options.images ?? [IMAGE, CONTROLLER_IMAGE], delay: options.delay, autoRemove: options.autoRemove });
  const controller = engine.seed("ctl", {
    Image: CONTROLLER_IMAGE,
    Labels: labels,
    HostConfig: { IpcMode: options.ipcMode ?? "private", Mounts: options.mounts ?? [], CgroupParent: options.cgroupParent },
  });
  options.prepare?.(engine);
  const flags = { ...DEFAULT_FLAGS, ...options.flags };
  const info = await engine.inspectContainer(controller.id);
  const plan = planPod(info!, flags, { readFile: options.readFile ?? (() => "") });
  const messages: string[] = [];
  const health: string[] = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const links: { name: string; open: boolean }[] = [];
  const supervisor = createSupervisor({
    engine,
    logger: { info: (m) => messages.push(m), warn: (m) => messages.push(`warning: ${m}`), error: (m) => messages.push(`error: ${m}`) },
    self: plan,
    flags,
    onHealth: (state) => health.push(state.status),
    output: { stdout: { write: (s: string) => stdout.push(s) }, stderr: { write: (s: string) => stderr.push(s) } },
    startTimeoutMs: options.startTimeoutMs,
    clock: options.clock,
    connectLink: options.connectLink ?? (async (name) => {
      engine.calls.push(`link ${name}`);
      const link = { name, open: true };
      links.push(link);
      return { close: () => void (link.open = false) };
    }),
  });
  return { engine, supervisor, controllerId: controller.id, messages, health, stdout, stderr, links };
}

/** A pod.component.<name> label value. */
export function service(fields: Record<string, unknown>): string {
  return JSON.stringify({ image: IMAGE, ...fields });
}

/** Resolves once `predicate` holds, checking after every macrotask. */
export async function until(predicate: () => boolean, what = "condition", limit = 2000): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (predicate()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

/** Names of containers left on the fake engine, without the controller. */
export function leftovers(pod: FakePod): string[] {
  return [...pod.engine.containers.values()].map((c) => c.name).filter((n) => n !== "ctl").sort();
}

/** A clock that moves only when told: timers fire in advance(). */
export class ManualClock implements Clock {
  private time = 1_700_000_000_000;
  private timers: { at: number; fn: () => void; handle: number }[] = [];
  private nextHandle = 1;

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): number {
    const handle = this.nextHandle++;
    this.timers.push({ at: this.time + ms, fn, handle });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.handle !== handle);
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Moves time on by `ms`, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }
}
