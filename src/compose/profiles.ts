/**
 * Compose profiles: a service with `profiles` is only part of the project
 * when one of them is enabled (COMPOSE_PROFILES, comma-separated, from the
 * environment or the .env file; "*" enables all). Inactive services are left
 * out of the stack, as `docker compose up` leaves them out.
 */
export function enabledProfiles(variables: Record<string, string>, extra: readonly string[] = []): Set<string> {
  const fromEnv = (variables.COMPOSE_PROFILES ?? "").split(",").map((p) => p.trim()).filter(Boolean);
  return new Set([...fromEnv, ...extra]);
}

export function isServiceActive(service: unknown, enabled: ReadonlySet<string>): boolean {
  const profiles = (service as { profiles?: unknown } | null)?.profiles;
  if (!Array.isArray(profiles) || profiles.length === 0) return true;
  if (enabled.has("*")) return true;
  return profiles.some((p) => typeof p === "string" && enabled.has(p));
}
