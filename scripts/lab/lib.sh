# Settings and helpers of podlike's multi-node Swarm lab. Sourced by the other scripts.
# Every name the lab creates starts with "pl": network namespaces plsw and pl1..plN,
# cgroups /plN, folders /run/plN and /var/lib/plN. The host's engine, its swarm, its
# network namespace and its /etc/docker are never touched.
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_NODES=${LAB_NODES:-3}                     # pl1 is the manager, the others are workers
LAB_HEARTBEAT=${LAB_HEARTBEAT:-1s}            # dispatcher heartbeat: a lost node is Down after ~3 beats
LAB_LAN=10.207.0                              # switch .1, node N at .(10+N)
LAB_POOL=10.217.0.0/16                        # overlay subnets, kept apart from the LAN
LAB_SWITCH=plsw                               # netns holding the LAN bridge
LAB_BRIDGE=plbr0
LAB_STATE=${LAB_STATE:-/tmp/podlike-lab}      # node logs and image archives
LAB_IMAGES=${LAB_IMAGES:-podlike-test/busybox:latest ${PODLIKE_LOCAL_IMAGE:-podlike/controller:local}}

lab_ip()   { echo "$LAB_LAN.$((10 + $1))"; }
lab_sock() { echo "unix:///run/pl$1/docker.sock"; }
# lab_docker N ARGS...: the docker CLI against node N's engine
lab_docker() { local n=$1; shift; docker -H "$(lab_sock "$n")" "$@"; }
lab_log()  { printf 'lab: %s\n' "$*" >&2; }

# cgroup v1 (one hierarchy per controller) or v2 (one unified tree)
lab_cgroup_v2() { [ -f /sys/fs/cgroup/cgroup.controllers ]; }
lab_v1_controllers() {
  awk '$3=="cgroup" && $2 ~ /^\/sys\/fs\/cgroup\// {n=split($2,a,"/"); print a[n]}' /proc/1/mounts | grep -v '^systemd$'
}
# The node's processes: daemons, shims and task containers all live under cgroup /plN.
lab_node_pids() {
  local root
  if lab_cgroup_v2; then root=/sys/fs/cgroup/pl$1; else root=/sys/fs/cgroup/pids/pl$1; fi
  [ -d "$root" ] || return 0
  find "$root" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -un
}
lab_freeze() {
  if lab_cgroup_v2; then echo "$2" > "/sys/fs/cgroup/pl$1/cgroup.freeze"
  else echo "$([ "$2" = 1 ] && echo FROZEN || echo THAWED)" > "/sys/fs/cgroup/freezer/pl$1/freezer.state"; fi
}
# SIGKILL everything of node N at once (frozen first, so nothing forks or reacts in between).
lab_kill_all() {
  local pids
  for _ in $(seq 1 50); do
    pids=$(lab_node_pids "$1"); [ -n "$pids" ] || return 0
    lab_freeze "$1" 1 2>/dev/null || true
    kill -KILL $pids 2>/dev/null || true
    lab_freeze "$1" 0 2>/dev/null || true
    sleep 0.1
  done
  lab_log "pl$1: processes survive SIGKILL: $(lab_node_pids "$1" | tr '\n' ' ')"; return 1
}
# A pid that exists and is not a zombie (orphans may be reaped late).
lab_alive() { [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
# Node N's dockerd pid, checked against its cgroup so a stale pid file never points elsewhere.
lab_dockerd_pid() {
  local p; p=$(cat "/run/pl$1/docker.pid" 2>/dev/null) || return 1
  lab_alive "$p" && grep -q "/pl$1/daemon\$" "/proc/$p/cgroup" 2>/dev/null && echo "$p"
}
