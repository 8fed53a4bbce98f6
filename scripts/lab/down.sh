#!/usr/bin/env bash
# Removes everything of the lab, whatever state it is in (also half built, or after a failed
# run): the nodes' processes, cgroups, network namespaces and folders. Idempotent. Touches
# only names starting with "pl"; the host's engine and swarm are left as they are.
set -uo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"
GRACE=${LAB_GRACE:-10}   # seconds each dockerd gets to stop its containers

nodes=$( { ls -d /run/netns/pl[0-9]* /run/pl[0-9]* /var/lib/pl[0-9]* 2>/dev/null
           ls -d /sys/fs/cgroup/pl[0-9]* /sys/fs/cgroup/*/pl[0-9]* 2>/dev/null; } |
         grep -oE 'pl[0-9]+$' | sed 's/^pl//' | sort -un)

# 1. a clean stop first, so containers and their mounts go away the normal way
pids=""
for n in $nodes; do
  p=$(lab_dockerd_pid "$n") && { kill -TERM "$p"; pids="$pids $p"; }
done
for _ in $(seq 1 $((GRACE * 10))); do
  left=0; for p in $pids; do lab_alive "$p" && left=1; done
  [ $left = 0 ] && break; sleep 0.1
done
# 2. whatever still runs in a node's cgroup (containerd, shims, containers)
for n in $nodes; do lab_kill_all "$n"; done
# 3. cgroups, namespaces, folders
for n in $nodes; do
  for c in /sys/fs/cgroup/pl$n /sys/fs/cgroup/*/pl$n; do
    [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} + 2>/dev/null
  done
done
for n in $nodes; do [ -e "/run/netns/pl$n" ] && ip netns del "pl$n"; done
[ -e "/run/netns/$LAB_SWITCH" ] && ip netns del "$LAB_SWITCH"
status=0
for n in $nodes; do
  for d in "/run/pl$n" "/var/lib/pl$n"; do
    [ -e "$d" ] || continue
    # the node's mounts live in its own mount namespace; one showing here would be the host's
    if grep -q " $d[/ ]" /proc/self/mountinfo; then lab_log "$d has mounts in the host's mount namespace; left in place"; status=1
    else rm -rf "$d"; fi
  done
done
left=$( { ip netns list 2>/dev/null | grep -E '^(pl[0-9]+|plsw)\b'
          ls -d /sys/fs/cgroup/pl[0-9]* /sys/fs/cgroup/*/pl[0-9]* /run/pl[0-9]* /var/lib/pl[0-9]* 2>/dev/null; } )
if [ -n "$left" ]; then lab_log "left over: $(echo $left)"; status=1; else lab_log "removed"; fi
exit $status
