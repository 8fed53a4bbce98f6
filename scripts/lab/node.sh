#!/usr/bin/env bash
# Lifecycle and faults of one lab node:
#   node.sh N start      boot the node (cold), or restart its dockerd in place after `kill`
#   node.sh N stop       SIGTERM dockerd: a clean engine stop (it stops its containers)
#   node.sh N kill       SIGKILL dockerd: an engine crash (containers keep running)
#   node.sh N poweroff   SIGKILL every process of the node: the machine is gone
#   node.sh N cut|heal   unplug / plug the node's cable: a network partition
#   node.sh N pids       the node's processes
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"
[ $# -eq 2 ] || { echo "usage: node.sh N start|stop|kill|poweroff|cut|heal|pids" >&2; exit 2; }
N=$1; VERB=$2
[ -e "/run/netns/pl$N" ] || { echo "node pl$N does not exist: run scripts/lab/up.sh first" >&2; exit 1; }

wait_gone() { while lab_alive "$1"; do sleep 0.05; done; }

case $VERB in
  start)
    if lab_dockerd_pid "$N" >/dev/null; then echo "pl$N: dockerd already runs" >&2; exit 1; fi
    mkdir -p "$LAB_STATE"
    # a killed dockerd leaves its pid file; while its zombie waits to be reaped, the next
    # dockerd would take that for a running daemon
    rm -f "/run/pl$N/docker.pid"
    survivor=$(lab_node_pids "$N" | head -1)
    if [ -n "$survivor" ]; then
      # the engine crashed but containers run on: restart it inside their namespaces
      ( cd / && exec setsid nsenter -t "$survivor" -m -n -u "$LAB_DIR/boot-node.sh" "$N" rejoin \
          >>"$LAB_STATE/pl$N.log" 2>&1 </dev/null ) &
    else
      # a cold boot starts with an empty /run, as a rebooted machine does
      [ -d "/run/pl$N" ] && find "/run/pl$N" -mindepth 1 -delete
      ( cd / && exec setsid ip netns exec "pl$N" unshare --uts "$LAB_DIR/boot-node.sh" "$N" \
          >>"$LAB_STATE/pl$N.log" 2>&1 </dev/null ) &
    fi
    for _ in $(seq 1 600); do
      lab_docker "$N" version >/dev/null 2>&1 && exit 0
      sleep 0.1
    done
    echo "pl$N: dockerd did not answer within 60 s; see $LAB_STATE/pl$N.log" >&2; exit 1 ;;
  stop) p=$(lab_dockerd_pid "$N") || { echo "pl$N: dockerd does not run" >&2; exit 1; }
        kill -TERM "$p"; wait_gone "$p" ;;
  kill) p=$(lab_dockerd_pid "$N") || { echo "pl$N: dockerd does not run" >&2; exit 1; }
        kill -KILL "$p"; wait_gone "$p" ;;
  poweroff) lab_kill_all "$N" ;;
  cut)  ip -n "$LAB_SWITCH" link set "plv$N" down ;;
  heal) ip -n "$LAB_SWITCH" link set "plv$N" up ;;
  pids) for p in $(lab_node_pids "$N"); do ps -o pid=,rss=,args= -p "$p" | cut -c1-150; done ;;
  *) echo "unknown verb $VERB: use start, stop, kill, poweroff, cut, heal or pids" >&2; exit 2 ;;
esac
