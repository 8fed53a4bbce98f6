#!/usr/bin/env bash
# Boots the cgroup-v2 guest (building it first when absent) and prints the
# DOCKER_HOST of its engine: a single-node Swarm, cgroupfs driver, cgroup v2
# only, reachable on the host's loopback. The guest's disk is a throw-away
# overlay of the cached image, so every boot starts clean.
# Usage: up.sh [IMAGE...]   loads the given images of the host's engine into the guest's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# stdout is the DOCKER_HOST line alone: what building the guest prints goes to stderr
bash "$VM_LAB_DIR/build.sh" >&2
if [ -f "$VM_RUN/qemu.pid" ] && kill -0 "$(cat "$VM_RUN/qemu.pid")" 2>/dev/null; then
  vm_log "already running ($(cat "$VM_RUN/docker-host"))"
else
  rm -rf "$VM_RUN"
  mkdir -p "$VM_RUN"
  qemu-img create -q -f qcow2 -F raw -b "$VM_BASE_IMAGE" "$VM_RUN/disk.qcow2"
  PORT=${VM_LAB_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
  # KVM only where the CPU has hardware virtualisation: a /dev/kvm without vmx/svm (a paravirtual
  # KVM such as kvm_pvm inside a cloud VM) runs the guest's real-mode boot code, then hangs at
  # the switch to long mode. VM_LAB_ACCEL=kvm|tcg overrides the choice.
  accel=${VM_LAB_ACCEL:-auto}
  if [ "$accel" = auto ]; then
    accel=tcg
    if [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then accel=kvm; fi
  fi
  if [ "$accel" = kvm ]; then
    # arch-capabilities off: nested KVM refuses to set that MSR (qemu asserts "failed to set MSR 0x10a")
    ACCEL=(-enable-kvm -cpu host,-arch-capabilities)
    BOOT_BUDGET=180
  else
    vm_log "no hardware virtualisation here: emulating the guest's CPU (TCG); boot takes minutes and the tests run several times slower"
    ACCEL=(-accel tcg,thread=multi -cpu max)
    BOOT_BUDGET=900
  fi
  start=$(date +%s)
  qemu-system-x86_64 "${ACCEL[@]}" \
    -smp "${VM_LAB_CPUS:-2}" -m "${VM_LAB_MEMORY:-2048}" \
    -kernel "$VM_KERNEL" -initrd "$VM_INITRD" \
    -append "root=/dev/vda rw console=ttyS0 net.ifnames=0 init=/sbin/lab-init cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1 panic=-1" \
    -drive "file=$VM_RUN/disk.qcow2,if=virtio,format=qcow2,cache=unsafe" \
    -netdev "user,id=net0,hostfwd=tcp:127.0.0.1:$PORT-:2375" -device virtio-net-pci,netdev=net0 \
    -device virtio-rng-pci \
    -display none -monitor none -serial "file:$VM_RUN/console.log" \
    -no-reboot -daemonize -pidfile "$VM_RUN/qemu.pid"
  echo "tcp://127.0.0.1:$PORT" >"$VM_RUN/docker-host"
  export DOCKER_HOST="tcp://127.0.0.1:$PORT"
  until timeout 10 docker version >/dev/null 2>&1; do
    if ! kill -0 "$(cat "$VM_RUN/qemu.pid")" 2>/dev/null; then
      vm_log "the guest stopped while booting; its console:"; tail -30 "$VM_RUN/console.log" >&2; exit 1
    fi
    if [ $(( $(date +%s) - start )) -gt "$BOOT_BUDGET" ]; then
      vm_log "the guest's engine did not answer within $BOOT_BUDGET s; its console:"; tail -30 "$VM_RUN/console.log" >&2; exit 1
    fi
    sleep 1
  done
  vm_log "engine up in $(( $(date +%s) - start )) s at $DOCKER_HOST"
fi
export DOCKER_HOST=$(cat "$VM_RUN/docker-host")
[ "$(docker info --format '{{.CgroupVersion}} {{.CgroupDriver}}')" = "2 cgroupfs" ] \
  || { vm_log "the guest's engine is not on cgroup v2 with cgroupfs: $(docker info --format '{{.CgroupVersion}} {{.CgroupDriver}}')"; exit 1; }
if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
  docker swarm init --advertise-addr 10.0.2.15 >/dev/null
fi
# images come from the host's engine (no registry is reachable): only those the guest lacks or holds older
for image in "$@"; do
  want=$(DOCKER_HOST= docker image inspect --format '{{.Id}}' "$image")
  if [ "$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)" != "$want" ]; then
    t=$(date +%s)
    DOCKER_HOST= docker save "$image" | docker load -q >/dev/null
    vm_log "loaded $image in $(( $(date +%s) - t )) s"
  fi
done
echo "$DOCKER_HOST"
