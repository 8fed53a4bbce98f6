#!/usr/bin/env bash
# Brings up podlike's multi-node lab: LAB_NODES (3) dockerd on this machine, each in its own
# network, mount and UTS namespaces and its own cgroup, joined by a bridge that lives in its
# own network namespace; pl1 manages a Swarm with a 1 s dispatcher heartbeat, the others are
# workers; the test images of the host engine are loaded into every node.
#   node N: hostname plN, IP 10.207.0.(10+N), engine unix:///run/plN/docker.sock
# Needs root, iproute2, util-linux and docker.io (installed here when missing).
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"
started=$(date +%s.%N)
elapsed() { awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }

[ "$(id -u)" = 0 ] || { echo "the lab needs root (network namespaces, cgroups, mounts)" >&2; exit 1; }
if ! command -v ip >/dev/null || ! command -v nsenter >/dev/null || ! command -v dockerd >/dev/null; then
  lab_log "installing iproute2, util-linux and docker.io"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 util-linux docker.io >/dev/null
fi
for ns in "$LAB_SWITCH" $(seq -f 'pl%g' 1 "$LAB_NODES"); do
  if [ -e "/run/netns/$ns" ] || [ -e "/run/$ns" ] || [ -e "/var/lib/$ns" ]; then
    echo "a lab is already up ($ns exists): run scripts/lab/down.sh first" >&2; exit 1
  fi
done
for image in $LAB_IMAGES; do
  docker image inspect "$image" >/dev/null 2>&1 ||
    { echo "image $image is missing on the host engine: run npm run engine:up and npm run image:local" >&2; exit 1; }
done
mkdir -p "$LAB_STATE"; rm -f "$LAB_STATE"/pl[0-9]*.log
# whatever fails from here on, nothing half built stays behind
trap 'status=$?; [ $status = 0 ] || { lab_log "bring-up failed; removing the lab"; "$LAB_DIR/down.sh" >&2 || true; }' EXIT

# 1. the LAN. The bridge sits in a namespace of its own: in the host's namespace the host
#    engine's FORWARD DROP policy would drop bridged traffic between the nodes.
ip netns add "$LAB_SWITCH"
ip -n "$LAB_SWITCH" link set lo up
ip -n "$LAB_SWITCH" link add "$LAB_BRIDGE" type bridge
ip -n "$LAB_SWITCH" link set "$LAB_BRIDGE" up
ip -n "$LAB_SWITCH" addr add "$LAB_LAN.1/24" dev "$LAB_BRIDGE"
for n in $(seq 1 "$LAB_NODES"); do
  ip netns add "pl$n"
  ip -n "pl$n" link set lo up
  ip link add "plv$n" netns "$LAB_SWITCH" type veth peer name eth0 netns "pl$n"
  ip -n "$LAB_SWITCH" link set "plv$n" master "$LAB_BRIDGE" up
  ip -n "pl$n" addr add "$(lab_ip "$n")/24" dev eth0
  ip -n "pl$n" link set eth0 up
done

# 2. the engines, booted side by side
boots=""
for n in $(seq 1 "$LAB_NODES"); do "$LAB_DIR/node.sh" "$n" start & boots="$boots $!"; done
for p in $boots; do wait "$p"; done   # by pid: a bare wait would wait for the daemons too
lab_log "engines up after $(elapsed)"

# 3. the images: every node has its own image store and no registry answers
"$LAB_DIR/images.sh"
lab_log "images loaded after $(elapsed)"

# 4. the swarm
lab_docker 1 swarm init --advertise-addr "$(lab_ip 1)" --listen-addr "$(lab_ip 1):2377" \
  --dispatcher-heartbeat "$LAB_HEARTBEAT" --default-addr-pool "$LAB_POOL" >/dev/null
token=$(lab_docker 1 swarm join-token -q worker)
for n in $(seq 2 "$LAB_NODES"); do
  lab_docker "$n" swarm join --token "$token" --advertise-addr "$(lab_ip "$n")" \
    --listen-addr "$(lab_ip "$n"):2377" "$(lab_ip 1):2377" >/dev/null
done
for _ in $(seq 1 600); do
  [ "$(lab_docker 1 node ls --format '{{.Status}}' | grep -c Ready)" = "$LAB_NODES" ] && break
  sleep 0.1
done
[ "$(lab_docker 1 node ls --format '{{.Status}}' | grep -c Ready)" = "$LAB_NODES" ] ||
  { lab_docker 1 node ls >&2; echo "not every node is Ready" >&2; exit 1; }
lab_log "swarm of $LAB_NODES nodes ready after $(elapsed); manager: $(lab_sock 1)"
