/**
 * Service keys that mean nothing for a component of a pod, and why. Lint
 * warns about each (UNSUPPORTED_KEY) and convert drops exactly these.
 * Components run in the controller's network (and by default IPC and PID)
 * namespaces, and Swarm schedules the controller, not the components.
 */
export const POD_UNSUPPORTED_KEYS: Readonly<Record<string, string>> = Object.freeze({
  container_name: "the controller names component containers <controller>.podlike.<component>",
  network_mode: "components always use the controller's network namespace",
  pid: "the PID namespace is the controller's (x-pods.<pod>.controller.share.pid)",
  ipc: "the IPC namespace is the controller's (x-pods.<pod>.controller.share.ipc)",
  uts: "components share the controller's namespaces; the controller decides them",
  cgroup: "components run under the controller's cgroup parent",
  cgroup_parent: "components run under the controller's cgroup parent",
  hostname: "the hostname belongs to the network namespace, which is the controller's (Docker refuses it there)",
  domainname: "the domain name belongs to the network namespace, which is the controller's",
  mac_address: "the network interface is the controller's (Docker refuses a MAC address there)",
  dns: "DNS settings belong to the controller's network namespace (Docker refuses them there)",
  dns_search: "DNS settings belong to the controller's network namespace",
  dns_opt: "DNS settings belong to the controller's network namespace",
  extra_hosts: "/etc/hosts belongs to the controller's network namespace (Docker refuses it there)",
  links: "components reach each other on localhost, and Docker refuses links in a shared network namespace",
  external_links: "components reach other services through the pod's networks, and Docker refuses links in a shared network namespace",
  restart: "the controller stops the pod when a component exits and Swarm restarts it (use x-pods.<pod>.deploy.restart_policy)",
  scale: "a pod is scaled as one service (use x-pods.<pod>.deploy.replicas)",
});

/** True when `key` is dropped from a pod component. */
export function isPodUnsupportedKey(key: string): boolean {
  return Object.prototype.hasOwnProperty.call(POD_UNSUPPORTED_KEYS, key);
}
