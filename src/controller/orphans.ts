/**
 * Containers a dead controller left behind. A controller killed with SIGKILL
 * takes its sandbox, keeper and (sharing the sandbox's PID namespace) its
 * components with it (pod-link.ts), but with --no-pids they keep running, a
 * node that crashed may restore some, and one killed mid-start leaves members
 * created but never started. At start every controller removes the containers
 * labelled with a controller id that no longer runs, and those labelled with
 * its own id (left by its own earlier run when restarted in place); then the
 * volumes holding such a pod's secrets.
 */
import { LABELS } from "../labels/protocol.js";
import type { ContainerInfo, Engine } from "../engine/container-engine.js";

/**
 * `creating`: the names this controller is creating meanwhile. The list may already hold them; one of
 * them left by an earlier run is not an orphan to remove here but a stale name its create replaces.
 */
export async function removeOrphans(engine: Engine, selfId: string, log: (message: string) => void, creating: ReadonlySet<string> = new Set()): Promise<string[]> {
  // both lists at once: a start should not wait for two round trips in a row
  const volumesListed = engine.listVolumes({ [LABELS.controllerId]: true });
  volumesListed.catch(() => {});
  const labelled = (await engine.listContainers({ [LABELS.controllerId]: true })).filter((c) => !(c.labels[LABELS.controllerId] === selfId && creating.has(c.name)));
  const byController = new Map<string, typeof labelled>();
  for (const c of labelled) {
    const owner = c.labels[LABELS.controllerId]!;
    byController.set(owner, [...(byController.get(owner) ?? []), c]);
  }
  const removed: string[] = [];
  await Promise.all(
    [...byController].map(async ([owner, containers]) => {
      if (owner !== selfId && (await controllerRuns(engine, owner))) return;
      await Promise.all(
        containers.map(async (c) => {
          await engine.removeContainer(c.id, { force: true });
          removed.push(c.name);
          log(`removed ${c.name}: left behind by ${owner === selfId ? "an earlier run of this controller" : `controller ${owner.slice(0, 12)}, which no longer runs`}`);
        }),
      );
    }),
  );
  // then the secret volumes such controllers left, now that no container of theirs uses them
  const volumes = await volumesListed;
  await Promise.all(
    volumes.map(async (v) => {
      const owner = v.labels[LABELS.controllerId]!;
      if (owner !== selfId && (await controllerRuns(engine, owner))) return;
      await engine.removeVolume(v.name);
      removed.push(v.name);
      log(`removed volume ${v.name}: left behind by ${owner === selfId ? "an earlier run of this controller" : `controller ${owner.slice(0, 12)}, which no longer runs`}`);
    }),
  );
  return removed.sort();
}

async function controllerRuns(engine: Engine, id: string): Promise<boolean> {
  const info = await engine.inspectContainer(id);
  return info?.running === true;
}

/** May a container in the way of a new one be removed? Only when a controller made it and that controller is gone (or is us). */
export async function isStaleComponent(engine: Engine, existing: ContainerInfo, selfId: string): Promise<boolean> {
  const owner = existing.labels[LABELS.controllerId];
  if (!owner) return false;
  return owner === selfId || !(await controllerRuns(engine, owner));
}
