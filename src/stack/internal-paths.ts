/**
 * Where the controller finds what it holds for its components. The controller
 * runtime reads the same paths: a member's config or secret is mounted on the
 * controller and copied into the member; a named volume is mounted on the
 * controller so Swarm creates it (with its stack prefix) on the node, and the
 * runtime maps the component's short volume name to the real one by this target.
 */
export const INTERNAL_ROOT = "/run/podlike";

export function internalConfigPath(member: string, name: string): string {
  return `${INTERNAL_ROOT}/${member}/configs/${name}`;
}

export function internalSecretPath(member: string, name: string): string {
  return `${INTERNAL_ROOT}/${member}/secrets/${name}`;
}

export function internalVolumePath(volume: string): string {
  return `${INTERNAL_ROOT}/volumes/${volume}`;
}

/** The Docker socket the controller talks to. */
export const DOCKER_SOCKET = "/var/run/docker.sock";
