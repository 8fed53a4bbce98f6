/**
 * Every finding podlike can report. Tests assert on these codes, not on wording.
 * Add a code here (with a one-line comment) when a new kind of finding appears.
 */
export const DIAGNOSTIC_CODES = [
  // input and YAML
  "FILE_NOT_FOUND", // a named Compose, env or extends file does not exist
  "NO_COMPOSE_FILE", // no file given and none found in the folder
  "YAML_SYNTAX", // the YAML parser rejected the text
  "DUPLICATE_KEY", // a mapping names the same key twice
  "ALIAS_LIMIT", // too many alias expansions (alias bomb)
  "NOT_A_MAPPING", // the document root is not a mapping
  // interpolation and loading
  "INTERPOLATION", // malformed ${...}
  "UNSET_VARIABLE", // a variable without default is not set
  "REQUIRED_VARIABLE", // ${VAR:?msg} / ${VAR?msg} with VAR unset
  "ENV_FILE", // an env_file could not be read or parsed
  "EXTENDS", // extends names a missing service or file, or loops
  "INCLUDE", // a top-level include entry is malformed or includes itself
  // schema
  "SCHEMA", // the Compose schema rejects a value
  "COMPOSE_CONFLICT", // settings docker compose refuses together (scale and deploy.replicas, network_mode and networks, ...)
  // pods
  "UNKNOWN_MEMBER", // x-pods names a service that does not exist
  "MEMBER_IN_TWO_PODS", // a service is a member of two pods
  "MEMBER_TWICE", // a service is both init and component, or listed twice
  "INVALID_MEMBER_NAME", // a pod member's service name cannot name a component (pod.component.<name> label)
  "EMPTY_POD", // a pod without components
  "POD_NAME_COLLISION", // a pod is named like a service outside it
  "PORT_CLASH", // two members bind the same port
  "DEPLOY_CONFLICT", // members disagree on a deploy setting
  "DEPENDENCY_CYCLE", // depends_on loops
  "UNKNOWN_DEPENDENCY", // depends_on, links, volumes_from or a service: namespace names a service that does not exist
  "BUILD_WITHOUT_IMAGE", // a pod member has build but no image
  "UNSUPPORTED_KEY", // a key that means nothing inside a pod (dropped)
  "DOCKER_SOCKET", // a component mounts the Docker socket
  "FILE_OWNER", // a pod member's config or secret asks for a uid or gid no file can have
  "CROSS_POD_DEPENDENCY", // depends_on crosses a pod boundary (dropped)
  "SWARM_UNSUPPORTED_KEY", // a setting the Swarm stack format (3.9) rejects or ignores (dropped by convert)
  // labels (controller side)
  "BAD_LABEL", // a pod.* label cannot be decoded
  // deploy
  "DEPLOY", // the engine refused a change
  "UNDEFINED_OBJECT", // a service names a network, volume, config or secret not declared at the top level
  "MISSING_IMAGE", // a service to deploy has no image
  "EXTERNAL_MISSING", // an external network, config or secret does not exist on the engine
  "INVALID_OBJECT_NAME", // a name Swarm cannot use: a config or secret named "." or "..", a service, pod or network that is no DNS name component
  "OBJECT_FILE", // a config or secret file cannot be read, or has no source
  "ENGINE_UNSUPPORTED", // a setting deploy cannot apply through this engine (cluster volumes)
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];
