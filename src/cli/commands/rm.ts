import type { CliIO } from "../io.js";
import { UsageError } from "../../diagnostics/errors.js";
import { connectManager } from "../../engine/manager.js";
import { checkStackName } from "../../deploy/names.js";
import { removeStack } from "../../deploy/remove.js";

export interface RmCliOptions {
  args?: string[];
  detach?: boolean;
}

/** `podlike rm STACK...`: removes services, networks, configs and secrets (never volumes) and waits until they are gone. */
export async function runRm(options: RmCliOptions, io: CliIO): Promise<number> {
  const stacks = options.args ?? [];
  if (!stacks.length) throw new UsageError("name the stack: podlike rm STACK");
  stacks.forEach(checkStackName);
  const swarm = await connectManager(io.env);
  let code = 0;
  try {
    for (const stack of stacks) {
      const outcome = await removeStack(swarm, stack, {
        detach: !!options.detach,
        onRemoved: (kind, name) => io.stdout.write(`Removed ${kind} ${name}\n`),
      });
      if (!outcome.found) {
        io.stderr.write(`podlike: nothing found in stack ${stack}\n`);
        continue;
      }
      for (const left of outcome.left) {
        io.stderr.write(`podlike: ${left.kind} ${left.name} is still in use and was left: ${left.reason}\n`);
        code = 1;
      }
    }
  } finally {
    swarm.close();
  }
  return code;
}
