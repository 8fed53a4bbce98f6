import { assertManager, swarmClient } from "../engine/manager.js";
import type { Swarm } from "../engine/swarm.js";
import { readForDeploy, type EngineReads } from "./deploy-stack.js";

/** A deploy's questions to the engine, sent before the Compose file is read. */
export interface EarlyReads {
  /** The manager, once it has said it is one; rejects with the reason it is not (or is not reachable). */
  manager: Promise<Swarm>;
  /** readForDeploy's answers; rejects first with the manager's failure, if any. */
  reads: Promise<EngineReads>;
  /** Ends the connection, whatever is still under way. */
  close(): void;
}

/**
 * Starts the manager check and the deploy's reads at once: none of them
 * depends on the Compose file, so the engine answers while the file loads
 * and is checked. Failures wait until they are awaited, after the file's
 * own findings; a file with errors never hears of them.
 */
export function startDeployReads(env: Record<string, string | undefined>, stack: string, options: { followTasks: boolean }): EarlyReads {
  let swarm: Swarm | undefined;
  let manager: Promise<Swarm>;
  let reads: Promise<EngineReads>;
  try {
    const client = swarmClient(env);
    swarm = client;
    manager = assertManager(client).then(() => client);
    const answers = readForDeploy(client, stack, options);
    answers.catch(() => {});
    reads = manager.then(() => answers);
  } catch (error) {
    // an unusable DOCKER_HOST: reported when the manager is awaited, as connectManager reports it
    manager = Promise.reject(error);
    reads = manager.then(() => Promise.reject(error));
  }
  manager.catch(() => {});
  reads.catch(() => {});
  return { manager, reads, close: () => swarm?.close() };
}
