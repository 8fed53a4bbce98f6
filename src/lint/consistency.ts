import type { Diagnostic, TreePath } from "../diagnostics/index.js";
import { normalizeVolumes, parseByteSize, toInteger } from "../compose/normalize.js";
import { finding, isMapping, quote, servicesOf, type LintContext, type Rule } from "./context.js";

/**
 * Settings docker compose refuses together: compose-go's checkConsistency
 * (loader/validate.go) stops the load on each of these, where podlike used
 * to accept them silently. Undeclared networks, volumes, configs and secrets
 * are object-references.ts's; cycles through implicit dependencies are
 * dependencies.ts's.
 */

const at = (...path: (string | number)[]): TreePath => path;

function serviceFindings(ctx: LintContext, name: string, service: Record<string, unknown>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const who = `service ${quote(name)}`;
  const conflict = (message: string, path: TreePath, hint: string) => out.push(finding(ctx, "COMPOSE_CONFLICT", "error", `${who}: ${message}`, path, hint, "key"));
  const deploy = isMapping(service.deploy) ? service.deploy : undefined;
  const limits = isMapping(deploy?.resources) && isMapping(deploy.resources.limits) ? deploy.resources.limits : undefined;

  if (typeof service.network_mode === "string" && service.networks !== undefined) {
    conflict("network_mode and networks cannot be used together", at("services", name, "networks"), "keep one: network_mode attaches the container to another network stack, networks to the project's networks");
  }
  const negative: [TreePath, unknown][] = [[at("services", name, "scale"), service.scale], [at("services", name, "deploy", "replicas"), deploy?.replicas]];
  for (const [path, value] of negative) {
    const count = toInteger(value, { signed: true });
    if (count === undefined || count >= 0) continue;
    const key = path.slice(2).join(".");
    out.push(finding(ctx, "SCHEMA", "error", `${who}: ${key} must be 0 or more, not ${count}`, path, `set ${key} to the number of containers to run (0 stops the service)`));
  }
  const scale = toInteger(service.scale);
  const replicas = toInteger(deploy?.replicas);
  if (scale !== undefined && replicas !== undefined && scale !== replicas) {
    conflict(`scale (${scale}) and deploy.replicas (${replicas}) disagree`, at("services", name, "scale"), "keep one of them, or give both the same value");
  }
  // docker compose names every replica after container_name, so it refuses more than one;
  // docker stack deploy ignores container_name, so the name is what has to go.
  const count = scale ?? replicas ?? 1;
  if (service.container_name !== undefined && count > 1) {
    const by = scale !== undefined ? `scale: ${scale}` : `deploy.replicas: ${replicas}`;
    conflict(
      `container_name ${quote(String(service.container_name))} cannot name ${count} containers (${by}); docker compose refuses it, as a container name is unique`,
      at("services", name, "container_name"),
      "remove container_name (Swarm names each task's container itself and ignores it), or run a single replica",
    );
  }
  const cpus = Number(service.cpus);
  if (service.cpus !== undefined && limits?.cpus !== undefined && Number.isFinite(cpus) && cpus !== Number(limits.cpus)) {
    conflict("cpus and deploy.resources.limits.cpus disagree", at("services", name, "cpus"), "keep one of them, or give both the same value");
  }
  const memory = parseByteSize(service.mem_limit);
  if (memory !== undefined && limits?.memory !== undefined && memory !== parseByteSize(limits.memory)) {
    conflict("mem_limit and deploy.resources.limits.memory disagree", at("services", name, "mem_limit"), "keep one of them, or give both the same value");
  }
  const pids = toInteger(service.pids_limit, { signed: true });
  if (pids !== undefined && pids !== 0 && limits?.pids !== undefined && pids !== toInteger(limits.pids, { signed: true })) {
    conflict("pids_limit and deploy.resources.limits.pids disagree", at("services", name, "pids_limit"), "keep one of them, or give both the same value");
  }
  const test = isMapping(service.healthcheck) ? service.healthcheck.test : undefined;
  if (Array.isArray(test) && test.length > 0 && !["CMD", "CMD-SHELL", "NONE"].includes(String(test[0]))) {
    conflict(`healthcheck.test must start with "CMD", "CMD-SHELL" or "NONE", not ${quote(String(test[0]))}`, at("services", name, "healthcheck", "test", 0), `write ["CMD", ${test.map((t) => quote(String(t))).join(", ")}], or a string for a shell command`);
  }

  // one mount per target: tmpfs entries, then volumes
  const mounted = new Map<string, string>();
  const tmpfs = typeof service.tmpfs === "string" ? [service.tmpfs] : Array.isArray(service.tmpfs) ? service.tmpfs : [];
  tmpfs.forEach((entry, index) => {
    if (typeof entry !== "string") return;
    const target = entry.split(":")[0]!;
    const where = `tmpfs[${index}]`;
    const earlier = mounted.get(target);
    if (earlier) conflict(`${where} mounts ${target}, already mounted by ${earlier}`, at("services", name, "tmpfs", Array.isArray(service.tmpfs) ? index : 0), "mount one thing per target");
    else mounted.set(target, where);
  });
  if (Array.isArray(service.volumes)) {
    service.volumes.forEach((entry, index) => {
      const mount = normalizeVolumes([entry])[0];
      if (!mount) return;
      const target = mount.target.replace(/(.)\/+$/, "$1");
      const where = `volumes[${index}]`;
      const earlier = mounted.get(target);
      if (earlier) conflict(`${where} mounts ${target}, already mounted by ${earlier}`, at("services", name, "volumes", index), "mount one thing per target");
      else mounted.set(target, where);
    });
  }
  return out;
}

export const composeConsistency: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const [name, service] of Object.entries(servicesOf(ctx))) if (isMapping(service)) out.push(...serviceFindings(ctx, name, service));
  return out;
};
