import { OperationError } from "../diagnostics/errors.js";
import { engineTarget } from "./connection.js";
import { engineFailure, engineMessage, statusOf } from "./errors.js";
import { HttpSwarm } from "./http-swarm.js";
import type { Swarm } from "./swarm.js";

/**
 * Connects and checks that the target is a Swarm manager: deploy, rm and ps
 * all need one. GET /swarm answers only on managers and answers fast (GET
 * /info can take seconds on a busy engine).
 */
export async function connectManager(env: Record<string, string | undefined>): Promise<Swarm> {
  const swarm = swarmClient(env);
  try {
    await assertManager(swarm);
  } catch (error) {
    swarm.close();
    throw error;
  }
  return swarm;
}

/** The client for the engine DOCKER_HOST names; nothing is sent yet. */
export function swarmClient(env: Record<string, string | undefined>): Swarm {
  return new HttpSwarm(engineTarget(env));
}

/** Resolves when the engine is a Swarm manager; otherwise says what it is and how to reach a manager. */
export async function assertManager(swarm: Swarm): Promise<void> {
  try {
    await swarm.checkManager();
  } catch (error) {
    if (statusOf(error) !== 503) throw engineFailure(error, "asking the engine about its Swarm", swarm.address);
    if (/worker/i.test(engineMessage(error))) {
      throw new OperationError(
        `the Docker engine at ${swarm.address} is a Swarm worker, not a manager`,
        "point DOCKER_HOST at a manager node (docker node ls there lists the managers)",
      );
    }
    throw new OperationError(
      `the Docker engine at ${swarm.address} is not a Swarm manager (it is not part of a Swarm)`,
      "run `docker swarm init` on it, or point DOCKER_HOST at a Swarm manager",
    );
  }
}
