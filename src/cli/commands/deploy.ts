import type { ChalkInstance } from "chalk";
import type { CliIO } from "../io.js";
import { colorDisabled } from "../io.js";
import { makeChalk, renderStylish } from "../render.js";
import { UsageError } from "../../diagnostics/errors.js";
import { hasErrors } from "../../diagnostics/diagnostic.js";
import { isUsageProblem, loadProject } from "../../compose/load.js";
import { stackFromModel } from "../../deploy/stack-input.js";
import { startDeployReads, type EarlyReads } from "../../deploy/early-reads.js";
import { deployStack } from "../../deploy/deploy-stack.js";
import { checkStackName } from "../../deploy/names.js";
import type { Plan, PlanStep } from "../../deploy/plan.js";
import type { ServiceProgress } from "../../deploy/converge.js";

export interface DeployCliOptions {
  args?: string[];
  composeFile?: string[];
  file?: string[];
  envFile?: string[];
  dryRun?: boolean;
  prune?: boolean;
  detach?: boolean;
  timeout?: number;
  controllerImage?: string;
  color?: boolean;
}

const VERB: Record<PlanStep["action"], string> = { create: "Creating", update: "Updating", remove: "Removing", unchanged: "Unchanged" };

/** The plan, one line per object, then a unified diff per changed service. */
export function renderPlan(plan: Plan, stack: string, chalk: ChalkInstance): string {
  const colour = { create: chalk.green, update: chalk.yellow, remove: chalk.red, unchanged: chalk.dim };
  let out = `Plan for stack ${stack}:\n`;
  for (const step of plan.steps) {
    out += `  ${colour[step.action](step.action.padEnd(9))} ${step.kind.padEnd(7)} ${step.name}${step.note ? chalk.dim(` (${step.note})`) : ""}\n`;
  }
  for (const step of plan.steps) {
    if (!step.diff) continue;
    out += "\n";
    for (const line of step.diff.split("\n")) {
      if (/^=+$/.test(line)) continue;
      out += (line.startsWith("+") && !line.startsWith("+++") ? chalk.green(line) : line.startsWith("-") && !line.startsWith("---") ? chalk.red(line) : line) + "\n";
    }
  }
  return out.replace(/\n+$/, "\n");
}

/**
 * Progress per service: on a terminal one line per service, redrawn in place;
 * elsewhere a plain line whenever a service's state changes.
 */
export function progressRenderer(io: CliIO, chalk: ChalkInstance): (services: ServiceProgress[]) => void {
  const tty = !!io.stdout.isTTY;
  const last = new Map<string, string>();
  let drawn = 0;
  return (services) => {
    const lines = services.map((s) => {
      const state = s.state === "converged" ? chalk.green("converged") : s.state === "failed" ? chalk.red("failed") : "starting";
      return `${s.name}: ${s.running}/${s.desired} running, ${state}${s.message && s.state !== "converged" ? ` (${s.message})` : ""}`;
    });
    if (tty) {
      const frame = lines.join("\n");
      if (frame === last.get("")) return;
      last.set("", frame);
      if (drawn) io.stdout.write(`\x1b[${drawn}A`);
      for (const line of lines) io.stdout.write(`\x1b[2K${line}\n`);
      drawn = lines.length;
      return;
    }
    services.forEach((s, i) => {
      if (last.get(s.id) !== lines[i]) io.stdout.write(`${lines[i]}\n`);
      last.set(s.id, lines[i]!);
    });
  };
}

export async function runDeploy(options: DeployCliOptions, io: CliIO): Promise<number> {
  const stack = options.args?.[0];
  if (!stack) throw new UsageError("name the stack: podlike deploy -c compose.yml STACK");
  checkStackName(stack);
  const files = [...(options.composeFile ?? []), ...(options.file ?? [])];
  if (files.filter((f) => f === "-").length > 1) throw new UsageError("standard input (-) can be read only once");
  if (options.controllerImage !== undefined && options.controllerImage.trim() === "") throw new UsageError("--controller-image needs an image name");
  // The engine's part does not depend on the file: it is asked for while the file loads.
  const engine = startDeployReads(io.env, stack, { followTasks: !options.dryRun && !options.detach });
  try {
    // The requests are written once their sockets report connected, on the
    // event loop's next turn; reading and checking the file runs without a
    // turn, so without this the engine would only start on them afterwards.
    await new Promise((resolve) => setImmediate(resolve));
    return await deployWith(engine, stack, files, options, io);
  } finally {
    engine.close();
  }
}

async function deployWith(engine: EarlyReads, stack: string, files: string[], options: DeployCliOptions, io: CliIO): Promise<number> {
  const chalk = makeChalk(colorDisabled(io, options.color), io.stdout);
  const errChalk = makeChalk(colorDisabled(io, options.color), io.stderr);
  const loaded = await loadProject({ files, cwd: io.cwd, env: io.env, envFiles: options.envFile, readStdin: () => io.readStdin() });
  const usage = loaded.diagnostics.filter(isUsageProblem);
  if (usage.length) {
    io.stderr.write(renderStylish(usage, io.cwd, errChalk));
    return 2;
  }
  const model = loaded.value;
  const input = model && !hasErrors(loaded.diagnostics) ? await stackFromModel(model, { controllerImage: options.controllerImage }) : undefined;
  const findings = [...loaded.diagnostics, ...(input?.diagnostics ?? [])];
  if (findings.length) io.stderr.write(renderStylish(findings, io.cwd, errChalk));
  if (!model || !input?.value || hasErrors(findings)) return 1;

  const swarm = await engine.manager;
  const outcome = await deployStack(
    swarm,
    {
      stack,
      compose: input.value,
      baseDir: model.projectDir,
      variables: model.variables,
      prune: !!options.prune,
      dryRun: !!options.dryRun,
      detach: !!options.detach,
      timeoutMs: options.timeout !== undefined ? options.timeout * 1000 : undefined,
      reads: engine.reads,
    },
    {
      onWarnings: (warnings) => io.stderr.write(renderStylish(warnings, io.cwd, errChalk)),
      onPlan: (plan) => {
        if (options.dryRun) io.stdout.write(renderPlan(plan, stack, chalk));
      },
      onStep: (step) => io.stdout.write(`${VERB[step.action]} ${step.kind} ${step.name}\n`),
      onProgress: options.detach ? undefined : progressRenderer(io, chalk),
    },
  );
  if (options.dryRun) {
    io.stdout.write("Dry run: nothing was changed.\n");
    return 0;
  }
  const changed = outcome.plan.steps.filter((s) => s.action !== "unchanged").length;
  if (!changed) io.stdout.write(`Stack ${stack} is up to date.\n`);
  else if (options.detach) io.stdout.write(`Stack ${stack} deployed (${changed} change${changed === 1 ? "" : "s"}); not waiting for the services (--detach).\n`);
  else io.stdout.write(`Stack ${stack} deployed and converged.\n`);
  return 0;
}
