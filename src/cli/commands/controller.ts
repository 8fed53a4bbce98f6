import { existsSync } from "node:fs";
import type { CliIO } from "../io.js";
import { OperationError } from "../../diagnostics/errors.js";
import { engineTarget } from "../../engine/connection.js";
import { CONTROLLER_USAGE, parseControllerFlags } from "../../controller/flags.js";
import { findOwnContainerId, readOwnCgroup } from "../../controller/self.js";
import { createStateWriter, HEARTBEAT_MS, processStartTime, stateFilePath, type HealthState } from "../../controller/health-state.js";
import type { Logger } from "../../controller/supervisor.js";
import { createStatusPublisher } from "../../controller/status-line.js";
import { isUnifiedOnly, sealV2Envelope } from "../../controller/cgroup2-envelope.js";
import { createStartTrace } from "../../controller/start-trace.js";

/** `podlike controller [flags]`: the entrypoint of the controller image. SIGTERM/SIGINT tear the pod down. */
export async function runController(argv: string[], io: CliIO): Promise<number> {
  const { flags, help } = parseControllerFlags(argv);
  if (help) {
    io.stdout.write(CONTROLLER_USAGE + "\n");
    return 0;
  }
  const logger: Logger = {
    info: (m) => io.stderr.write(`podlike: ${m}\n`),
    warn: (m) => io.stderr.write(`podlike: warning: ${m}\n`),
    error: (m) => io.stderr.write(`podlike: error: ${m}\n`),
  };

  const trace = createStartTrace(io.env, (line) => io.stderr.write(line));
  trace("controller entered");
  const statePath = stateFilePath(io.env);
  const pidStart = processStartTime(process.pid);
  // the same state, on the controller's output: a manager reads it back from any node (podlike ps)
  const status = createStatusPublisher((line) => io.stdout.write(line));
  let lastState: Omit<HealthState, "pid" | "pidStart"> = { status: "starting", components: {}, updated: new Date().toISOString() };
  const stateFile = createStateWriter(statePath, (error) => logger.warn(`cannot write the health state to ${statePath}: ${error.message}`));
  const writeFile = () => stateFile.write({ ...lastState, pid: process.pid, pidStart, updated: new Date().toISOString() });
  const writeState = (state: Omit<HealthState, "pid" | "pidStart">) => {
    lastState = state;
    status.publish(state);
    writeFile();
  };
  // the file is rewritten even when nothing changes, so a stuck controller reads as unhealthy
  const heartbeat = setInterval(writeFile, HEARTBEAT_MS);
  heartbeat.unref();
  // first thing: a file left by an earlier run of this container must not speak for this one
  writeState(lastState);

  const found = findOwnContainerId({ env: io.env });
  if (!found) {
    throw new OperationError("cannot tell which container the controller runs in", "set PODLIKE_CONTAINER_ID to the controller's container id");
  }
  const { HttpEngine } = await import("../../engine/http-engine.js");
  const target = engineTarget(io.env);
  const engine = new HttpEngine(target.options);
  // The engine's two answers are asked for at once, and the modules load while it answers: the pod's start waits for neither in turn.
  const inspected = engine.inspectContainer(found.id);
  const version = engine.apiVersion();
  const selfCgroup = readOwnCgroup();
  // cgroup v2: how the engine makes cgroups decides whether the pod's envelope can be sealed (cgroup2-envelope.ts)
  const cgroupSetup = isUnifiedOnly(selfCgroup) ? engine.cgroupSetup() : undefined;
  inspected.catch(() => {});
  version.catch(() => {});
  cgroupSetup?.catch(() => {});
  const [{ planPod }, { PAUSE_PROGRAM }, { readVolumeRefs }, { createSupervisor }] = await Promise.all([
    import("../../controller/plan.js"),
    import("../../controller/sandbox.js"),
    import("../../controller/volume-refs.js"),
    import("../../controller/supervisor.js"),
  ]);
  let info;
  try {
    info = await inspected;
  } catch (error) {
    throw new OperationError(
      `cannot reach the Docker engine at ${target.address}: ${(error as Error).message}`,
      "mount the Docker socket (-v /var/run/docker.sock:/var/run/docker.sock), or set DOCKER_HOST to the engine",
    );
  }
  if (!info) {
    throw new OperationError(`the engine knows no container ${found.id} (from ${found.from})`, "set PODLIKE_CONTAINER_ID to the controller's container id");
  }
  trace("self inspected");
  const [volumeRefs, apiVersion] = await Promise.all([readVolumeRefs(engine, info), version]);
  const envelope = cgroupSetup ? await sealV2Envelope(engine, info, cgroupSetup, apiVersion) : undefined;
  if (envelope) trace("cgroup v2 envelope");
  // the sandbox runs this controller's own image, so what is here is there
  const plan = planPod(info, flags, { pauseProgram: existsSync(PAUSE_PROGRAM) ? PAUSE_PROGRAM : undefined, volumeRefs, selfCgroup, envelope, apiVersion });
  trace("pod planned");
  const timeout = Number(io.env.PODLIKE_START_TIMEOUT);
  const supervisor = createSupervisor({
    engine,
    logger,
    self: plan,
    flags,
    output: { stdout: io.stdout, stderr: io.stderr },
    onHealth: writeState,
    env: io.env,
    startTimeoutMs: timeout > 0 ? timeout * 1000 : undefined,
    trace,
  });

  const onSignal = (signal: NodeJS.Signals) => supervisor.stop(`received ${signal}`);
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  try {
    logger.info(`controller ${info.name} (${info.id.slice(0, 12)}) starting ${plan.components.length} component(s)`);
    for (const warning of plan.warnings) logger.warn(warning);
    return await supervisor.run();
  } finally {
    clearInterval(heartbeat);
    status.stop();
    await stateFile.flush();
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
}
