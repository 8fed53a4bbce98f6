/**
 * Podlike's volume reference label. A volume whose real name is explicit or
 * templated per task (name: 'pids_{{.Task.ID}}') is labelled with the name
 * components use for it; the controller reads the labels of the volumes Swarm
 * mounted on it, so a component naming `pids` gets this task's volume.
 */
import { LABELS } from "../labels/protocol.js";
import type { ContainerInfo, Engine } from "../engine/container-engine.js";
import { setOwn } from "../compose/own-keys.js";

/** Reference → real volume name, for every controller volume carrying the label. */
export async function readVolumeRefs(engine: Pick<Engine, "volumeLabels">, controller: ContainerInfo): Promise<Record<string, string>> {
  const names = [...new Set(controller.mounts.filter((m) => m.type === "volume" && m.name).map((m) => m.name!))];
  const labels = await Promise.all(names.map((name) => engine.volumeLabels(name)));
  const refs: Record<string, string> = {};
  names.forEach((name, i) => {
    const ref = labels[i]?.[LABELS.volumeRef];
    if (ref && !Object.hasOwn(refs, ref)) setOwn(refs, ref, name);
  });
  return refs;
}
