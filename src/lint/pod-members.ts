import type { Diagnostic } from "../diagnostics/index.js";
import { normalizeVolumes } from "../compose/normalize.js";
import { finding, membersOf, quote, serviceOf, type LintContext, type Rule } from "./context.js";
import { POD_UNSUPPORTED_KEYS, isPodUnsupportedKey } from "./pod-keys.js";
import { isValidComponentName } from "../labels/protocol.js";
import { COMPONENT_MOUNT_TYPES } from "../keys/service-keys.js";

/** Each member once, with its pod, when its definition is a mapping. */
export function eachMember(ctx: LintContext, visit: (pod: string, name: string, service: Record<string, unknown>) => void): void {
  const done = new Set<string>();
  for (const pod of ctx.pods) {
    for (const member of membersOf(pod, ctx)) {
      if (done.has(member.name)) continue;
      done.add(member.name);
      const service = serviceOf(ctx, member.name);
      if (service) visit(pod.name, member.name, service);
    }
  }
}

/** A member's service name becomes its component's label (pod.component.<name>) and container name suffix. */
export const invalidMemberName: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  eachMember(ctx, (pod, name) => {
    if (isValidComponentName(name)) return;
    out.push(
      finding(
        ctx,
        "INVALID_MEMBER_NAME",
        "error",
        `service ${quote(name)} of pod ${quote(pod)} cannot be a component: its name must start with a letter or digit and hold only letters, digits, "_", "." and "-"`,
        ["services", name],
        `rename service ${quote(name)} (and every reference to it) to a name that starts with a letter or digit`,
        "key",
      ),
    );
  });
  return out;
};

/** The controller creates components on whatever node Swarm picks: there is no build there. */
export const buildWithoutImage: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  eachMember(ctx, (pod, name, service) => {
    if (service.build === undefined || (typeof service.image === "string" && service.image !== "")) return;
    out.push(
      finding(
        ctx,
        "BUILD_WITHOUT_IMAGE",
        "error",
        `service ${quote(name)} in pod ${quote(pod)} has build but no image; the pod's controller can only pull images`,
        ["services", name, "build"],
        `add image: with the name you push the built image under (docker compose build && docker compose push)`,
        "key",
      ),
    );
  });
  return out;
};

export const unsupportedKeys: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  eachMember(ctx, (pod, name, service) => {
    for (const key of Object.keys(service)) {
      if (!isPodUnsupportedKey(key)) continue;
      out.push(
        finding(
          ctx,
          "UNSUPPORTED_KEY",
          "warning",
          `service ${quote(name)}: ${key} is dropped in pod ${quote(pod)}: ${POD_UNSUPPORTED_KEYS[key]}`,
          ["services", name, key],
          `remove ${key} from service ${quote(name)}`,
          "key",
        ),
      );
    }
  });
  return out;
};

const SOCKETS = new Set(["/var/run/docker.sock", "/run/docker.sock", "//./pipe/docker_engine", "\\\\.\\pipe\\docker_engine"]);

/** A component with the engine's socket can start containers anywhere on the node. */
export const dockerSocket: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  const hint = "make sure this component needs the engine; it can create privileged containers on every node the pod runs on";
  eachMember(ctx, (pod, name, service) => {
    const volumes = service.volumes;
    if (Array.isArray(volumes)) {
      volumes.forEach((item, index) => {
        const mount = normalizeVolumes([item])[0];
        if (!mount || (mount.type !== "bind" && mount.type !== "npipe") || !SOCKETS.has(mount.source ?? "")) return;
        out.push(
          finding(
            ctx,
            "DOCKER_SOCKET",
            "warning",
            `service ${quote(name)} in pod ${quote(pod)} mounts the Docker socket ${mount.source}, which hands it the whole engine`,
            ["services", name, "volumes", index],
            hint,
          ),
        );
      });
    }
    if (service.use_api_socket === true || service.use_api_socket === "true") {
      out.push(
        finding(
          ctx,
          "DOCKER_SOCKET",
          "warning",
          `service ${quote(name)} in pod ${quote(pod)} sets use_api_socket, which hands it the whole engine`,
          ["services", name, "use_api_socket"],
          hint,
          "key",
        ),
      );
    }
  });
  return out;
};

export const unsupportedMountType: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  eachMember(ctx, (pod, name, service) => {
    if (!Array.isArray(service.volumes)) return;
    service.volumes.forEach((item, index) => {
      const mount = normalizeVolumes([item])[0];
      if (!mount || COMPONENT_MOUNT_TYPES.has(mount.type)) return;
      const why = mount.type === "cluster" ? "Swarm mounts cluster (CSI) volumes into a service's own tasks only" : "the controller mounts bind, volume and tmpfs only";
      out.push(
        finding(
          ctx,
          "UNSUPPORTED_KEY",
          "warning",
          `service ${quote(name)}: volumes[${index}] of type ${mount.type} is dropped in pod ${quote(pod)}: ${why}`,
          ["services", name, "volumes", index],
          mount.type === "cluster" ? `mount the cluster volume on a service outside the pod, or give ${quote(name)} a named volume` : `use a bind, volume or tmpfs mount`,
        ),
      );
    });
  });
  return out;
};
