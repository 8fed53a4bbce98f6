/**
 * Where a component's secrets live: never in its writable layer (on the
 * node's disk, in `docker export`), but on a small tmpfs mounted at each
 * secret's folder, as Swarm gives a service its secrets.
 *
 * The engine's archive endpoint (Docker 20.10) writes beneath a tmpfs mount
 * of the container, not into it, so each folder is a volume of the local
 * driver backed by tmpfs. The driver unmounts such a volume, and its files
 * vanish, once no running container uses it; the copy happens before the
 * component starts, so a keeper holds them mounted meanwhile: the sandbox's
 * pause program in a container of its own, in no PID or IPC namespace of
 * the pod, where no component can look into it. It shares the controller's
 * network namespace only for the link that ends it with the controller.
 */
import { posix } from "node:path";
import { isInternalSecretPath, ownershipLabels, secretKeeperContainerName, secretVolumeName, type CopySpec } from "../labels/protocol.js";
import { copyArchive, fileSystemSource, type CopySource } from "./copy.js";
import type { CreateBody, Engine, VolumeSpec } from "../engine/container-engine.js";
import { linkedPauseContainer, type SandboxContext } from "./sandbox.js";

export interface SecretFolder {
  /** Absolute folder inside the component. */
  folder: string;
  volume: string;
  /** The folder's files, named relative to it. */
  archive: Buffer;
}

export interface SecretStore {
  volumes: { name: string; spec: VolumeSpec }[];
  /** `link`: the keeper's socket (pod-link.ts), so that it goes with the controller as the sandbox does. */
  keeper: { name: string; body: CreateBody; link: string };
}

const PAGE = 4096;
/** Room above the files themselves: a tmpfs sized to the byte is full at once. */
const SLACK = 64 * 1024;

/** The pod.copy entries that copy a Swarm secret, apart from the rest. */
export function splitSecretCopies(copies: readonly CopySpec[]): { secrets: CopySpec[]; others: CopySpec[] } {
  return { secrets: copies.filter((c) => isInternalSecretPath(c.source)), others: copies.filter((c) => !isInternalSecretPath(c.source)) };
}

const finalTarget = (spec: CopySpec): string => (spec.target.endsWith("/") ? posix.join(spec.target, posix.basename(spec.source)) : posix.normalize(spec.target));

/** One tmpfs volume per folder that receives a secret of the member. */
export function secretFolders(
  controller: { id: string; name: string },
  member: string,
  secrets: readonly CopySpec[],
  source: CopySource = fileSystemSource,
): { folders: SecretFolder[]; volumes: { name: string; spec: VolumeSpec }[] } {
  const byFolder = new Map<string, CopySpec[]>();
  for (const spec of secrets) {
    const target = finalTarget(spec);
    const folder = posix.dirname(target);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), { ...spec, target: posix.basename(target) }]);
  }
  const folders: SecretFolder[] = [];
  const volumes: { name: string; spec: VolumeSpec }[] = [];
  [...byFolder].forEach(([folder, specs], index) => {
    const name = secretVolumeName(controller.name, member, index);
    const bytes = specs.reduce((sum, s) => sum + Math.ceil(Math.max(1, source.read(s.source).length) / PAGE) * PAGE, 0);
    volumes.push({
      name,
      spec: {
        driver: "local",
        driverOpts: { type: "tmpfs", device: "tmpfs", o: `size=${bytes + SLACK},mode=0755,nosuid,nodev,noexec` },
        labels: ownershipLabels(controller.id, member, "secrets"),
      },
    });
    folders.push({ folder, volume: name, archive: copyArchive(specs, source) });
  });
  return { folders, volumes };
}

/** The keeper: holds every secret volume of the pod mounted, in no PID or IPC namespace of the pod (its orphaned volumes go with the next controller's sweep). */
export function secretKeeper(context: SandboxContext, volumes: readonly string[]): { name: string; body: CreateBody } {
  return linkedPauseContainer(context, secretKeeperContainerName(context.controllerName), "secrets", {
    Mounts: volumes.map((volume, i) => ({ Type: "volume", Source: volume, Target: `/keep/${i}`, ReadOnly: true })),
  });
}

/** Volumes first, then the keeper, running and linked: the members' copies land in mounted tmpfs. */
export async function prepareSecretStore(
  engine: Engine,
  store: SecretStore,
  create: (c: { name: string; body: CreateBody }) => Promise<string>,
  link: (name: string) => Promise<void>,
): Promise<void> {
  await Promise.all(store.volumes.map((v) => engine.createVolume(v.name, v.spec)));
  await engine.startContainer(await create(store.keeper));
  await link(store.keeper.link);
}

/** After the members are gone: the keeper, then the volumes (and with them the secrets). */
export async function removeSecretStore(engine: Engine, store: SecretStore): Promise<void> {
  await engine.removeContainer(store.keeper.name, { force: true });
  await Promise.all(store.volumes.map((v) => engine.removeVolume(v.name)));
}
