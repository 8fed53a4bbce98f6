import { Command, Option, InvalidArgumentError } from "commander";
import type { CliIO } from "./io.js";
import { reportError } from "./report-error.js";
import { PACKAGE_VERSION } from "../version.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("must be a whole number, 0 or more");
  return n;
}

type Runner<Options> = (opts: Options, io: CliIO) => Promise<number>;

/** Each command's runner, loaded on first use. */
export const RUNNERS = {
  convert: async () => (await import("./commands/convert.js")).runConvert,
  lint: async () => (await import("./commands/lint.js")).runLint,
  deploy: async () => (await import("./commands/deploy.js")).runDeploy,
  rm: async () => (await import("./commands/rm.js")).runRm,
  ps: async () => (await import("./commands/ps.js")).runPs,
  logs: async () => (await import("./commands/logs.js")).runLogs,
};

/** The commander program: parses options and hands each command to its lazily loaded module (`runners`). */
export function buildProgram(io: CliIO, setExitCode: (code: number) => void, runners: typeof RUNNERS = RUNNERS): Command {
  const program = new Command("podlike");
  program
    .description("Kubernetes-style pods for Docker Swarm")
    .version(PACKAGE_VERSION, "-v, --version", "print the version")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showSuggestionAfterError(true);

  // commander hands each action the options its flags declare: the command's own options type
  const run = <Options>(load: () => Promise<Runner<Options>>) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const opts = { ...command.opts(), args: command.args } as Options;
      try {
        const fn = await load();
        setExitCode(await fn(opts, io));
      } catch (error) {
        setExitCode(await reportError(error, io));
      }
    };

  program
    .command("convert")
    .description("turn a Compose file with x-pods into a Swarm stack")
    .argument("[files...]", "Compose files (- reads standard input)")
    .option("-f, --file <file>", "Compose file, repeatable, as in docker compose", collect)
    .option("--env-file <file>", "variables for interpolation, repeatable (default: .env beside the first file)", collect)
    .option("-o, --output <file>", "write the stack here instead of standard output")
    .option("--check", "exit 1 with a diff when the --output file is not up to date")
    .option("--controller-image <image>", "controller image for every pod")
    .option("--no-color", "no colour in messages")
    .action(run(runners.convert));

  program
    .command("lint")
    .description("check Compose files and their pods; exit 1 on errors")
    .argument("[files...]", "Compose files (- reads standard input)")
    .option("-f, --file <file>", "Compose file, repeatable, as in docker compose", collect)
    .option("--env-file <file>", "variables for interpolation, repeatable (default: .env beside the first file)", collect)
    .addOption(new Option("--format <format>", "output format").choices(["stylish", "json", "github"]).default("stylish"))
    .option("--max-warnings <n>", "exit 1 when there are more than N warnings", nonNegativeInt)
    .option("--no-color", "no colour in messages")
    .action(run(runners.lint));

  program
    .command("deploy")
    .description("convert and apply a stack to the Swarm, as docker stack deploy does")
    .argument("<stack>", "stack name")
    .option("-c, --compose-file <file>", "Compose file, repeatable", collect)
    .option("-f, --file <file>", "same as --compose-file", collect)
    .option("--env-file <file>", "variables for interpolation, repeatable", collect)
    .option("--dry-run", "print the plan and a diff per changed service; change nothing")
    .option("--prune", "remove services no longer declared")
    .option("-d, --detach", "do not wait for the services to converge")
    .option("--timeout <seconds>", "give up waiting for convergence after this many seconds", nonNegativeInt)
    .option("--controller-image <image>", "controller image for every pod")
    .option("--no-color", "no colour in messages")
    .action(run(runners.deploy));

  program
    .command("rm")
    .description("remove a stack and wait until it is gone")
    .argument("<stack...>", "stack names")
    .option("-d, --detach", "do not wait for removal to finish")
    .action(run(runners.rm));

  program
    .command("ps")
    .description("list a stack's pods and services, their tasks, and local components")
    .argument("<stack>", "stack name")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .option("--no-color", "no colour in messages")
    .action(run(runners.ps));

  program
    .command("logs")
    .description("the output of a stack's pod components (controllers run with --logs), from every node")
    .argument("<stack>", "stack name")
    .argument("[pod]", "pod name (x-pods key); every pod of the stack without it")
    .option("-c, --component <name>", "only this component's output")
    .option("-f, --follow", "keep printing new output")
    .option("--since <time>", "output since a time (RFC 3339, Unix seconds) or for a duration (10m, 1h30m)")
    .option("-n, --tail <lines>", 'the last N lines (default "all")')
    .option("-t, --timestamps", "show the engine's timestamps")
    .action(run(runners.logs));

  program
    .command("version")
    .description("print the version")
    .action(() => {
      io.stdout.write(`${PACKAGE_VERSION}\n`);
    });

  // Listed for help; main() runs these two before commander is loaded.
  program.command("controller").description("run a pod (the entrypoint of the controller image)").allowUnknownOption();
  program.command("healthcheck").description("exit 0 when the pod of this controller is healthy");

  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  }
  return program;
}
