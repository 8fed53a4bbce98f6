/**
 * A pod member as the controller will create it: its Compose definition
 * resolved at convert time (env_file inlined; paths, extends and
 * interpolation already resolved by the loader), without what was hoisted
 * onto the controller or means nothing inside a pod.
 */
import type { TreePath } from "../diagnostics/index.js";
import { INIT_NAME_KEY, isValidComponentName } from "../labels/protocol.js";
import type { ComposeService } from "../compose/model.js";
import { normalizeDependsOn, normalizeVolumes } from "../compose/normalize.js";
import { setOwn } from "../compose/own-keys.js";
import { COMPONENT_MOUNT_TYPES, serviceKeyRow } from "../keys/service-keys.js";
import type { PodDeclaration } from "../pod/model.js";
import { writeVolumePaths } from "./output-paths.js";
import { containerEnvironment, isMapping, plainCopy, sortedKeys, type EmitContext } from "./context.js";

export type MemberRole = "component" | "init";

export interface MemberInput {
  pod: PodDeclaration;
  name: string;
  role: MemberRole;
  service: Record<string, unknown>;
  /** Components of the same pod (depends_on on them is kept). */
  components: ReadonlySet<string>;
  /** Init members of the same pod (depends_on on them is satisfied by running them first). */
  init: ReadonlySet<string>;
  variables: Record<string, string>;
}

export function buildComponent(ctx: EmitContext, input: MemberInput): ComposeService | undefined {
  const { name, service } = input;
  const path: TreePath = ["services", name];

  // Lint refuses both (INVALID_MEMBER_NAME, BUILD_WITHOUT_IMAGE) before convert runs.
  if (!isValidComponentName(name) || (service.build !== undefined && typeof service.image !== "string")) return undefined;

  // What the component keeps is the podMember column of the key table. Lint
  // has warned about every key dropped here (convert runs it first).
  // Extension fields stay: the label holds a Compose service definition,
  // which allows them, and the controller passes over them.
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(service)) {
    const extension = key.startsWith("x-") && key !== INIT_NAME_KEY;
    if (!extension && serviceKeyRow(key)?.podMember.kind !== "component") continue;
    if (key === "environment" || key === "depends_on" || key === "deploy") continue;
    out[key] = plainCopy(value);
  }
  // Lint has warned about every mount the controller cannot make (a cluster volume).
  if (Array.isArray(out.volumes)) out.volumes = out.volumes.filter((entry) => COMPONENT_MOUNT_TYPES.has(normalizeVolumes([entry])[0]?.type ?? "volume"));
  if (out.volumes !== undefined) out.volumes = writeVolumePaths(out.volumes, ctx.paths);

  // Resource limits apply to the component's own container, which the controller creates.
  if (isMapping(service.deploy) && isMapping(service.deploy.resources)) out.deploy = { resources: plainCopy(service.deploy.resources) };

  const environment = containerEnvironment(ctx, service, input.variables, path);
  if (environment) out.environment = sortedKeys(environment);

  const dependsOn = componentDependsOn(input);
  if (dependsOn) out.depends_on = dependsOn;
  return sortedKeys(out);
}

/**
 * depends_on between components of the pod stays (the controller orders by
 * it); on an init member it is already satisfied (init runs first); anything
 * else crosses the pod boundary, which Swarm cannot order: dropped.
 */
function componentDependsOn(input: MemberInput): Record<string, unknown> | undefined {
  const { service, name } = input;
  if (service.depends_on === undefined) return undefined;
  const kept: Record<string, unknown> = {};
  for (const [dep, spec] of Object.entries(normalizeDependsOn(service.depends_on))) {
    // Lint warns about a dependency across the pod boundary (CROSS_POD_DEPENDENCY), which Swarm cannot order.
    if (input.role === "init" || !input.components.has(dep) || dep === name) continue;
    const entry: Record<string, unknown> = { condition: spec.condition };
    if (!spec.required) entry.required = false;
    if (spec.restart) entry.restart = true;
    setOwn(kept, dep, entry);
  }
  return Object.keys(kept).length ? sortedKeys(kept) : undefined;
}
