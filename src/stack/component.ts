/**
 * A pod member as the controller will create it: its Compose definition
 * resolved at convert time (env_file inlined; paths, extends and
 * interpolation already resolved by the loader), without what was hoisted
 * onto the controller or means nothing inside a pod.
 */
import type { TreePath } from "../diagnostics/index.js";
import { isValidComponentName } from "../labels/protocol.js";
import type { ComposeService } from "../compose/model.js";
import { normalizeDependsOn } from "../compose/normalize.js";
import { POD_UNSUPPORTED_KEYS, isPodUnsupportedKey } from "../lint/pod-keys.js";
import type { PodDeclaration } from "../pod/model.js";
import { writeVolumePaths } from "./output-paths.js";
import { containerEnvironment, isMapping, plainCopy, report, sortedKeys, type EmitContext } from "./context.js";

/** Keys the controller service takes over (see hoist.ts); the component keeps none of them. */
export const HOISTED_KEYS = ["ports", "networks", "configs", "secrets", "deploy", "expose"] as const;

/** Compose keys for building and developing: nothing to do on a Swarm node. */
const DEVELOPMENT_KEYS = ["build", "develop", "profiles"] as const;

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
  const { pod, name, service } = input;
  const path: TreePath = ["services", name];
  const who = `service "${name}" of pod "${pod.name}"`;

  if (!isValidComponentName(name)) {
    report(ctx, {
      code: "INVALID_MEMBER_NAME",
      severity: "error",
      message: `${who} cannot be a component: its name must start with a letter or digit and hold only letters, digits, "_", "." and "-"`,
      path,
      prefer: "key",
      hint: `rename service "${name}" (and every reference to it) to a name that starts with a letter or digit`,
    });
    return undefined;
  }

  if (service.build !== undefined && typeof service.image !== "string") {
    report(ctx, {
      code: "BUILD_WITHOUT_IMAGE",
      severity: "error",
      message: `${who} has build but no image; the controller cannot build images`,
      path: [...path, "build"],
      prefer: "key",
      hint: "add an image name, build and push it (docker compose build && docker compose push), then convert",
    });
    return undefined;
  }

  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(service)) {
    if (key.startsWith("x-")) continue;
    if ((HOISTED_KEYS as readonly string[]).includes(key) || (DEVELOPMENT_KEYS as readonly string[]).includes(key)) continue;
    if (key === "env_file" || key === "environment" || key === "depends_on") continue;
    if (isPodUnsupportedKey(key)) {
      report(ctx, {
        code: "UNSUPPORTED_KEY",
        severity: "warning",
        message: `${who}: "${key}" means nothing inside a pod; dropped`,
        path: [...path, key],
        prefer: "key",
        hint: `remove it: ${POD_UNSUPPORTED_KEYS[key]}`,
      });
      continue;
    }
    out[key] = plainCopy(value);
  }
  if (out.volumes !== undefined) out.volumes = writeVolumePaths(out.volumes, ctx.paths);

  // Resource limits apply to the component's own container, which the controller creates.
  if (isMapping(service.deploy) && isMapping(service.deploy.resources)) out.deploy = { resources: plainCopy(service.deploy.resources) };

  const environment = containerEnvironment(ctx, service, input.variables, path);
  if (environment) out.environment = sortedKeys(environment);

  const dependsOn = componentDependsOn(ctx, input, who);
  if (dependsOn) out.depends_on = dependsOn;
  return sortedKeys(out);
}

/**
 * depends_on between components of the pod stays (the controller orders by
 * it); on an init member it is already satisfied (init runs first); anything
 * else crosses the pod boundary, which Swarm cannot order: dropped.
 */
function componentDependsOn(ctx: EmitContext, input: MemberInput, who: string): Record<string, unknown> | undefined {
  const { service, name, pod } = input;
  if (service.depends_on === undefined) return undefined;
  const kept: Record<string, unknown> = {};
  const listed = Array.isArray(service.depends_on);
  const deps = normalizeDependsOn(service.depends_on);
  const raw = service.depends_on as unknown[] | Record<string, unknown>;
  for (const [dep, spec] of Object.entries(deps)) {
    const within = input.components.has(dep) || input.init.has(dep);
    if (!within) {
      const index = listed ? (raw as unknown[]).indexOf(dep) : dep;
      report(ctx, {
        code: "CROSS_POD_DEPENDENCY",
        severity: "warning",
        message: `${who} depends on "${dep}", outside the pod; dropped (Swarm does not order services)`,
        path: ["services", name, "depends_on", index],
        prefer: "key",
        hint: `make "${dep}" a component of pod "${pod.name}", or let "${name}" retry until "${dep}" answers`,
      });
      continue;
    }
    if (input.role === "init" || !input.components.has(dep) || dep === name) continue;
    const entry: Record<string, unknown> = { condition: spec.condition };
    if (!spec.required) entry.required = false;
    if (spec.restart) entry.restart = true;
    kept[dep] = entry;
  }
  return Object.keys(kept).length ? sortedKeys(kept) : undefined;
}
