#!/usr/bin/env bash
# Stops the cgroup-v2 guest and removes its throw-away disk; the cached guest image stays.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ -f "$VM_RUN/qemu.pid" ]; then
  pid=$(cat "$VM_RUN/qemu.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
fi
rm -rf "$VM_RUN"
vm_log "down"
