/**
 * One table of Compose service keys: what each key means to every part of
 * podlike that reads a service, a column per consumer. Every other list of
 * keys (lint's pod warnings, convert's stack-file filter, deploy's ServiceSpec
 * warnings, the controller's create-body warnings, the README) is derived
 * from it, and test/keys/service-keys.test.ts holds the columns together.
 *
 * - stackFile: a plain service in the stack file convert writes, read by
 *   `docker stack deploy`: the first file format version that has the key
 *   (docker/cli cli/compose/schema/data/config_schema_v3.*.json), moved to its
 *   deploy form, resolved by convert, dropped silently as a development key,
 *   or absent from every format (dropped with a warning).
 * - serviceSpec: podlike deploy's Engine API ServiceSpec.
 * - podMember: a member of a pod in convert: kept in its component label,
 *   taken over by the pod's controller service, resolved, or dropped with a
 *   warning (lint says the same, with the same reason).
 * - container: the controller's POST /containers/create body for a component.
 */

/** Stack file format versions, oldest first, that convert may write. */
export const FORMAT_VERSIONS = ["3.9", "3.10", "3.11", "3.12", "3.13"] as const;
export type FormatVersion = (typeof FORMAT_VERSIONS)[number];

export type StackFileUse =
  | { kind: "format"; since: FormatVersion }
  | { kind: "moved"; to: readonly string[] }
  | { kind: "resolved" }
  | { kind: "development" }
  | { kind: "none" };

export type Use = { kind: "mapped"; note?: string } | { kind: "runtime"; reason: string } | { kind: "ignored"; reason: string };

export type MemberUse = { kind: "component" } | { kind: "pod" } | { kind: "resolved" } | { kind: "development" } | { kind: "dropped"; reason: string };

export interface ServiceKeyRow {
  stackFile: StackFileUse;
  serviceSpec: Use;
  podMember: MemberUse;
  container: Use;
}

const format = (since: FormatVersion): StackFileUse => ({ kind: "format", since });
const moved = (to: readonly string[]): StackFileUse => ({ kind: "moved", to });
/** Resolved when loading or converting (env_file inlined, extends expanded). */
const RESOLVED = { kind: "resolved" } as const;
/** Building and developing: nothing to do on a Swarm node; dropped without a word. */
const DEVELOPMENT = { kind: "development" } as const;
/** No version of docker stack deploy's format has the key. */
const NO_FORMAT: StackFileUse = { kind: "none" };

const MAPPED: Use = { kind: "mapped" };
const mapped = (note: string): Use => ({ kind: "mapped", note });
const runtime = (reason: string): Use => ({ kind: "runtime", reason });
const ignored = (reason: string): Use => ({ kind: "ignored", reason });

const COMPONENT: MemberUse = { kind: "component" };
/** Taken over by the pod's controller service (see stack/hoist.ts). */
const POD: MemberUse = { kind: "pod" };
const dropped = (reason: string): MemberUse => ({ kind: "dropped", reason });

const SERVICE_KEY_ROWS = {
  annotations: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm services have no such setting"), podMember: COMPONENT, container: mapped("HostConfig.Annotations: Docker 24 (Engine API 1.43) and later; on an older engine the controller leaves it out and says so") },
  attach: { stackFile: NO_FORMAT, serviceSpec: ignored("log attachment is a docker compose up setting"), podMember: dropped("run the controller with --logs to stream every component's output"), container: ignored("run the controller with --logs to stream every component's output") },
  blkio_config: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm services have no such setting"), podMember: COMPONENT, container: MAPPED },
  build: { stackFile: DEVELOPMENT, serviceSpec: ignored("Swarm runs images; build and push the image, deploy uses image"), podMember: DEVELOPMENT, container: ignored("a node cannot build images: build and push the image, and name it in image") },
  cap_add: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  cap_drop: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  cgroup: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm services have no such setting"), podMember: COMPONENT, container: mapped("HostConfig.CgroupnsMode") },
  cgroup_parent: { stackFile: format("3.9"), serviceSpec: ignored("Swarm services have no such setting"), podMember: dropped("components run under the controller's cgroup parent"), container: ignored("every component lives under the controller's cgroup parent, so the pod is accounted as one") },
  command: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  configs: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: POD, container: runtime("podlike convert attaches configs to the controller and a pod.copy entry copies them into the component") },
  container_name: { stackFile: format("3.9"), serviceSpec: ignored("Swarm names task containers itself"), podMember: dropped("the controller names component containers <controller>.podlike.<component>"), container: ignored("a component's container is always named <controller>.podlike.<component>") },
  cpu_count: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm sets resources under deploy.resources"), podMember: COMPONENT, container: mapped("Windows engines only; a Linux engine discards it with a warning") },
  cpu_percent: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm sets resources under deploy.resources"), podMember: COMPONENT, container: mapped("Windows engines only; a Linux engine discards it with a warning") },
  cpu_period: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm sets resources under deploy.resources"), podMember: COMPONENT, container: MAPPED },
  cpu_quota: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm sets resources under deploy.resources"), podMember: COMPONENT, container: MAPPED },
  cpu_rt_period: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm sets resources under deploy.resources"), podMember: COMPONENT, container: MAPPED },
  cpu_rt_runtime: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm sets resources under deploy.resources"), podMember: COMPONENT, container: MAPPED },
  cpu_shares: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm sets resources under deploy.resources"), podMember: COMPONENT, container: MAPPED },
  cpus: { stackFile: moved(["resources","limits","cpus"]), serviceSpec: ignored("Swarm sets resources under deploy.resources"), podMember: COMPONENT, container: MAPPED },
  cpuset: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm sets resources under deploy.resources"), podMember: COMPONENT, container: MAPPED },
  credential_spec: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: dropped("Windows managed service accounts are a Swarm service setting: put it on the pod"), container: ignored("Windows managed service accounts are a Swarm service setting: put it on the pod") },
  depends_on: { stackFile: format("3.9"), serviceSpec: ignored("Swarm starts services in no order; make each service wait for what it needs"), podMember: COMPONENT, container: runtime("the controller starts components in dependency order and waits for each condition") },
  deploy: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: mapped("resources limits and reservations (cpus, memory, pids, devices) apply to the component; the rest is Swarm's and belongs to the pod") },
  develop: { stackFile: DEVELOPMENT, serviceSpec: ignored("watch mode is a docker compose setting"), podMember: DEVELOPMENT, container: ignored("watch mode is a docker compose development feature") },
  device_cgroup_rules: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm services have no such setting"), podMember: COMPONENT, container: MAPPED },
  devices: { stackFile: format("3.9"), serviceSpec: ignored("Swarm services have no such setting"), podMember: COMPONENT, container: MAPPED },
  dns: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: dropped("DNS settings belong to the controller's network namespace (Docker refuses them there)"), container: ignored("networking is the controller's: the component joins the controller's network namespace") },
  dns_opt: { stackFile: NO_FORMAT, serviceSpec: MAPPED, podMember: dropped("DNS settings belong to the controller's network namespace"), container: ignored("networking is the controller's: the component joins the controller's network namespace") },
  dns_search: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: dropped("DNS settings belong to the controller's network namespace"), container: ignored("networking is the controller's: the component joins the controller's network namespace") },
  domainname: { stackFile: format("3.9"), serviceSpec: ignored("Swarm services have no such setting"), podMember: dropped("the domain name belongs to the network namespace, which is the controller's"), container: ignored("networking is the controller's: the component joins the controller's network namespace, which also fixes the host and domain name") },
  entrypoint: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  env_file: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: RESOLVED, container: ignored("resolved at convert time: podlike convert inlines env_file into environment (a node cannot read files on your machine)") },
  environment: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  expose: { stackFile: format("3.9"), serviceSpec: ignored("services on a shared network reach every port; expose has no effect"), podMember: POD, container: ignored("networking is the controller's: the component joins the controller's network namespace") },
  extends: { stackFile: RESOLVED, serviceSpec: ignored("resolved when the file is loaded"), podMember: RESOLVED, container: ignored("resolved at convert time: podlike convert expands extends") },
  external_links: { stackFile: format("3.9"), serviceSpec: ignored("Swarm has no links; use a shared network"), podMember: dropped("components reach other services through the pod's networks, and Docker refuses links in a shared network namespace"), container: ignored("networking is the controller's: the component joins the controller's network namespace") },
  extra_hosts: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: dropped("/etc/hosts belongs to the controller's network namespace (Docker refuses it there)"), container: ignored("networking is the controller's: the component joins the controller's network namespace") },
  gpus: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm reserves devices with deploy.resources.reservations.generic_resources"), podMember: COMPONENT, container: mapped("HostConfig.DeviceRequests") },
  group_add: { stackFile: NO_FORMAT, serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  healthcheck: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  hostname: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: dropped("the hostname belongs to the network namespace, which is the controller's (Docker refuses it there)"), container: ignored("networking is the controller's: the component joins the controller's network namespace, which also fixes the host name") },
  image: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  init: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  ipc: { stackFile: format("3.9"), serviceSpec: ignored("Swarm services have no such setting"), podMember: dropped("the IPC namespace is the controller's (x-pods.<pod>.controller.share.ipc)"), container: ignored("the IPC namespace is the pod's (controller flags --ipc / --no-ipc)") },
  isolation: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  label_file: { stackFile: NO_FORMAT, serviceSpec: ignored("resolved when the file is loaded"), podMember: dropped("a node cannot read files on your machine: write the labels under labels"), container: ignored("a node cannot read files on your machine: write the labels under labels") },
  labels: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  links: { stackFile: format("3.9"), serviceSpec: ignored("Swarm has no links; services on a shared network reach each other by name"), podMember: dropped("components reach each other on localhost, and Docker refuses links in a shared network namespace"), container: ignored("networking is the controller's: the component joins the controller's network namespace; components reach each other on localhost") },
  logging: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  mac_address: { stackFile: format("3.9"), serviceSpec: ignored("Swarm services have no such setting"), podMember: dropped("the network interface is the controller's (Docker refuses a MAC address there)"), container: ignored("networking is the controller's: the component joins the controller's network namespace") },
  mem_limit: { stackFile: moved(["resources","limits","memory"]), serviceSpec: ignored("Swarm sets resources under deploy.resources"), podMember: COMPONENT, container: MAPPED },
  mem_reservation: { stackFile: moved(["resources","reservations","memory"]), serviceSpec: ignored("Swarm sets resources under deploy.resources"), podMember: COMPONENT, container: MAPPED },
  mem_swappiness: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm services have no such setting"), podMember: COMPONENT, container: MAPPED },
  memswap_limit: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm services have no such setting"), podMember: COMPONENT, container: MAPPED },
  models: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm services have no such setting"), podMember: dropped("AI models are a docker compose feature that Swarm and the Engine API do not provide"), container: ignored("AI models are a docker compose feature that Swarm and the Engine API do not provide") },
  network_mode: { stackFile: format("3.9"), serviceSpec: ignored("Swarm attaches services to networks; list them under networks"), podMember: dropped("components always use the controller's network namespace"), container: ignored("networking is the controller's: the component joins the controller's network namespace") },
  networks: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: POD, container: ignored("networking is the controller's: the component joins the controller's network namespace; podlike convert attaches the pod to the networks of its members") },
  oom_kill_disable: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm services have no such setting"), podMember: COMPONENT, container: MAPPED },
  oom_score_adj: { stackFile: format("3.13"), serviceSpec: mapped("ContainerSpec.OomScoreAdj: Engine API 1.46 (Docker 27) and later; deploy warns on an older engine"), podMember: COMPONENT, container: MAPPED },
  pid: { stackFile: format("3.9"), serviceSpec: ignored("Swarm services have no such setting"), podMember: dropped("the PID namespace is the controller's (x-pods.<pod>.controller.share.pid)"), container: ignored("the PID namespace is the pod's (controller flags --pids / --no-pids)") },
  pids_limit: { stackFile: moved(["resources","limits","pids"]), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  platform: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm picks the image variant for each node"), podMember: dropped("components run the image for the node's own platform; choose nodes with the pod's placement constraints"), container: ignored("components run the image for the node's own platform; choose nodes with the pod's placement constraints") },
  ports: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: POD, container: ignored("networking is the controller's: the component joins the controller's network namespace; podlike convert publishes the ports on the pod's service") },
  post_start: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm services have no such setting"), podMember: dropped("lifecycle hooks are a docker compose feature the controller does not run"), container: ignored("lifecycle hooks are a docker compose feature the controller does not run") },
  pre_stop: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm services have no such setting"), podMember: dropped("lifecycle hooks are a docker compose feature the controller does not run"), container: ignored("lifecycle hooks are a docker compose feature the controller does not run") },
  privileged: { stackFile: format("3.9"), serviceSpec: ignored("Swarm services have no such setting"), podMember: COMPONENT, container: MAPPED },
  profiles: { stackFile: DEVELOPMENT, serviceSpec: ignored("profiles select services for docker compose; deploy takes every service"), podMember: DEVELOPMENT, container: ignored("a pod's components always run together; profiles only select services for docker compose") },
  provider: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm services have no such setting"), podMember: dropped("provider services are managed by docker compose plugins, not by a container"), container: ignored("provider services are managed by docker compose plugins, not by a container") },
  pull_policy: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm nodes pull images themselves"), podMember: dropped("the controller pulls an image when it is missing, and every image with --pull"), container: ignored("the controller pulls an image when it is missing, and every image with --pull") },
  pull_refresh_after: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm nodes pull images themselves"), podMember: dropped("the controller pulls an image when it is missing, and every image with --pull"), container: ignored("the controller pulls an image when it is missing, and every image with --pull") },
  read_only: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  restart: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: dropped("the controller stops the pod when a component exits and Swarm restarts it (use x-pods.<pod>.deploy.restart_policy)"), container: ignored("a component that exits ends the pod; the pod's deploy.restart_policy restarts it as a whole") },
  runtime: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm services have no such setting"), podMember: COMPONENT, container: MAPPED },
  scale: { stackFile: moved(["replicas"]), serviceSpec: MAPPED, podMember: dropped("a pod is scaled as one service (use x-pods.<pod>.deploy.replicas)"), container: ignored("a pod runs one container per component; scale the pod with deploy.replicas") },
  secrets: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: POD, container: runtime("podlike convert attaches secrets to the controller and a pod.copy entry copies them into the component") },
  security_opt: { stackFile: format("3.9"), serviceSpec: ignored("Swarm services have no such setting"), podMember: COMPONENT, container: MAPPED },
  shm_size: { stackFile: format("3.9"), serviceSpec: ignored("Swarm services have no such setting"), podMember: COMPONENT, container: mapped("no effect while the component shares the pod's IPC namespace (its /dev/shm is the pod's)") },
  stdin_open: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  stop_grace_period: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: mapped("StopTimeout; the controller also waits this long when it stops the component") },
  stop_signal: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  storage_opt: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm services have no such setting"), podMember: COMPONENT, container: MAPPED },
  sysctls: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  tmpfs: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  tty: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  ulimits: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  use_api_socket: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm services have no such setting"), podMember: dropped("mount /var/run/docker.sock explicitly under volumes"), container: ignored("mount /var/run/docker.sock explicitly under volumes") },
  user: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },
  userns_mode: { stackFile: format("3.9"), serviceSpec: ignored("Swarm services have no such setting"), podMember: COMPONENT, container: MAPPED },
  uts: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm services have no such setting"), podMember: COMPONENT, container: MAPPED },
  volumes: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: mapped("named volumes resolve to the volumes Swarm mounted on the controller") },
  volumes_from: { stackFile: NO_FORMAT, serviceSpec: ignored("Swarm has no volumes_from; mount the same named volume"), podMember: COMPONENT, container: mapped("service:<name> and bare names refer to other components of the pod") },
  working_dir: { stackFile: format("3.9"), serviceSpec: MAPPED, podMember: COMPONENT, container: MAPPED },

} satisfies Record<string, ServiceKeyRow>;

export type ServiceKey = keyof typeof SERVICE_KEY_ROWS;

/** The table, without a prototype: a key named "constructor" is not a row. */
export const SERVICE_KEYS: Readonly<Record<string, ServiceKeyRow>> = Object.freeze(Object.assign(Object.create(null), SERVICE_KEY_ROWS));

/** The row of `key`, or undefined for an extension field or a key Compose does not know. */
export function serviceKeyRow(key: string): ServiceKeyRow | undefined {
  return SERVICE_KEYS[key];
}

/** Keys whose `column` satisfies `test`, sorted. */
export function keysWhere(test: (row: ServiceKeyRow) => boolean): string[] {
  return Object.keys(SERVICE_KEYS).filter((key) => test(SERVICE_KEYS[key]!)).sort();
}

/**
 * The mount types (`volumes[].type`) of a component: the controller creates
 * its container with these; a cluster (CSI) volume only Swarm mounts, into a
 * service's own tasks, and convert drops it from the component with lint's
 * warning.
 */
export const COMPONENT_MOUNT_TYPES: ReadonlySet<string> = new Set(["bind", "volume", "tmpfs"]);

export function compareFormats(a: FormatVersion, b: FormatVersion): number {
  return FORMAT_VERSIONS.indexOf(a) - FORMAT_VERSIONS.indexOf(b);
}
