#!/usr/bin/env bash
# Brings up what the end-to-end tests need, idempotently: a Docker engine,
# a single-node Swarm, and the offline test images (busybox, controller).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'engine-up: %s\n' "$*"; }

if ! command -v dockerd >/dev/null 2>&1 || [ ! -x /bin/busybox ]; then
  log "installing docker.io and busybox-static"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io busybox-static >/dev/null
fi

DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=docker

if ! timeout 5 "$DOCKER" info >/dev/null 2>&1; then
  log "starting dockerd"
  nohup dockerd >/tmp/podlike-dockerd.log 2>&1 &
  for _ in $(seq 1 120); do
    timeout 5 "$DOCKER" info >/dev/null 2>&1 && break
    sleep 0.5
  done
  timeout 5 "$DOCKER" info >/dev/null 2>&1 || { log "dockerd did not start; see /tmp/podlike-dockerd.log"; exit 1; }
fi

state=$("$DOCKER" info --format '{{.Swarm.LocalNodeState}}')
if [ "$state" != "active" ]; then
  log "initialising a single-node swarm"
  "$DOCKER" swarm init --advertise-addr 127.0.0.1 >/dev/null
fi

if ! "$DOCKER" image inspect podlike-test/busybox:latest >/dev/null 2>&1; then
  log "importing podlike-test/busybox:latest from busybox-static"
  rootfs=$(mktemp -d)
  mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/var/run" "$rootfs/usr/bin" "$rootfs/root"
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf /bin/busybox "$rootfs/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
  echo 'root:x:0:' >"$rootfs/etc/group"
  tar -C "$rootfs" -c . | "$DOCKER" import -c 'CMD ["sh"]' - podlike-test/busybox:latest >/dev/null
  rm -rf "$rootfs"
fi
log "ready"
