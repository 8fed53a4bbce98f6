#!/usr/bin/env bash
# Runs inside one node's namespaces and becomes its dockerd. Called by node.sh:
#   cold boot:  ip netns exec plN unshare --uts boot-node.sh N
#               (a fresh mount ns, made rslave by ip netns exec, so nothing mounted here
#               reaches the host; a fresh UTS ns for the node's hostname)
#   rejoin:     nsenter -t <a process of the node> -m -n -u boot-node.sh N rejoin
#               (dockerd died but its containers live on: restart it in their namespaces)
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"
N=$1
MODE=${2:-boot}

if [ "$MODE" = boot ]; then
  hostname "pl$N"
  # ip netns exec mounted a fresh sysfs for the netns, without the cgroup hierarchies: mount
  # the host's hierarchies again (same options, hence the very same trees).
  mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup
  awk '($3=="cgroup"||$3=="cgroup2") && $2 ~ /^\/sys\/fs\/cgroup(\/|$)/' /proc/1/mounts |
  while read -r src target fstype options _; do
    mkdir -p "$target"; mount -t "$fstype" -o "$options" "$src" "$target"
  done
fi

# The daemons go to cgroup /plN/daemon, containers to /plN/ctr: the node is one unit to kill or freeze.
if lab_cgroup_v2; then
  mkdir -p "/sys/fs/cgroup/pl$N/daemon" "/sys/fs/cgroup/pl$N/ctr"
  for c in $(cat /sys/fs/cgroup/cgroup.subtree_control); do
    echo "+$c" > "/sys/fs/cgroup/pl$N/cgroup.subtree_control" 2>/dev/null || true
  done
  echo $$ > "/sys/fs/cgroup/pl$N/daemon/cgroup.procs"
else
  for c in $(lab_v1_controllers); do
    mkdir -p "/sys/fs/cgroup/$c/pl$N/daemon"
    if [ "$c" = cpuset ]; then
      for f in cpuset.cpus cpuset.mems; do
        cat "/sys/fs/cgroup/cpuset/$f" > "/sys/fs/cgroup/cpuset/pl$N/$f"
        cat "/sys/fs/cgroup/cpuset/$f" > "/sys/fs/cgroup/cpuset/pl$N/daemon/$f"
      done
    fi
    echo $$ > "/sys/fs/cgroup/$c/pl$N/daemon/cgroup.procs"
  done
fi

if [ "$MODE" = boot ]; then
  # Drop this mount ns's copies of the host's mounts under /run and /var/lib/docker (the host
  # engine's netns files and container filesystems), so the node never pins them; then give
  # the node its own /run, /var/lib/docker and /etc/docker.
  awk '$2 ~ "^/(run|var/lib/docker)(/|$)" {print $2}' /proc/self/mounts | sort -r |
  while read -r m; do umount -l "$m" 2>/dev/null || true; done
  mkdir -p "/run/pl$N" "/var/lib/pl$N/docker" "/var/lib/pl$N/etc-docker" /etc/docker /var/lib/docker
  mount --bind "/run/pl$N" /run
  mount --bind "/var/lib/pl$N/docker" /var/lib/docker
  mount --bind "/var/lib/pl$N/etc-docker" /etc/docker
fi
[ -f /etc/docker/daemon.json ] || echo '{}' > /etc/docker/daemon.json

# No registry answers: tasks use the image the node already has.
exec env DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 dockerd \
  --config-file /etc/docker/daemon.json \
  -H unix:///var/run/docker.sock \
  --data-root /var/lib/docker --exec-root /var/run/docker --pidfile /var/run/docker.pid \
  --cgroup-parent "/pl$N/ctr" \
  --swarm-default-advertise-addr "$(lab_ip "$N")" \
  --label "podlike.lab.node=pl$N"
