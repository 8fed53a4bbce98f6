#!/usr/bin/env bash
# Builds the cgroup-v2 guest once and caches it under .vm-lab/ (git-ignored):
# a Debian 12 root filesystem (debootstrap, minbase) with the distribution
# kernel, docker.io and busybox-static, packed into an ext4 image, plus the
# kernel and initrd to boot it with. No systemd runs in the guest: its init
# (guest-init.sh) mounts cgroup2 alone and starts dockerd with the cgroupfs
# driver. Idempotent: a guest built from the same recipe is kept.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need qemu-system-x86_64 || ! need debootstrap || ! need qemu-img || ! need mkfs.ext4; then
  vm_log "installing qemu-system-x86, qemu-utils, debootstrap, e2fsprogs"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-system-x86 qemu-utils debootstrap e2fsprogs >/dev/null
fi

STAMP=$VM_CACHE/recipe
WANT="$VM_RECIPE $(sha256sum <"$VM_LAB_DIR/build.sh" | cut -c1-16)"

# the guest's init is written into the image at every build, so changing it needs no new guest
# (at /usr/sbin: /sbin is a link there, and debugfs follows no links)
install_init() {
  debugfs -w -R "rm /usr/sbin/lab-init" "$VM_BASE_IMAGE" >/dev/null 2>&1 || true
  debugfs -w -f - "$VM_BASE_IMAGE" >/dev/null 2>&1 <<DEBUGFS
write $VM_LAB_DIR/guest-init.sh /usr/sbin/lab-init
sif /usr/sbin/lab-init mode 0100755
DEBUGFS
  [ "$(debugfs -R "cat /usr/sbin/lab-init" "$VM_BASE_IMAGE" 2>/dev/null | sha256sum)" = "$(sha256sum <"$VM_LAB_DIR/guest-init.sh")" ] \
    || { vm_log "could not write the guest's init into $VM_BASE_IMAGE"; exit 1; }
}

if [ -f "$VM_BASE_IMAGE" ] && [ -f "$VM_KERNEL" ] && [ -f "$VM_INITRD" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$WANT" ]; then
  install_init
  vm_log "guest is up to date ($VM_BASE_IMAGE)"
  exit 0
fi

start=$(date +%s)
mkdir -p "$VM_CACHE"
ROOTFS=$VM_CACHE/rootfs
# debootstrap mounts /proc and /sys in the target: an interrupted build may have left them there
unmount_rootfs() { { grep -o " $ROOTFS/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" || true; done; }
trap unmount_rootfs EXIT
unmount_rootfs
rm -rf --one-file-system "$ROOTFS" "$VM_BASE_IMAGE" "$STAMP"
vm_log "debootstrap $VM_SUITE into $ROOTFS"
debootstrap --variant=minbase \
  --include=linux-image-amd64,docker.io,busybox-static,iproute2,kmod,ca-certificates \
  "$VM_SUITE" "$ROOTFS" "$VM_MIRROR" >"$VM_CACHE/debootstrap.log" 2>&1 \
  || { tail -20 "$VM_CACHE/debootstrap.log" >&2; exit 1; }

vm_log "configuring the guest"
mkdir -p "$ROOTFS/etc/docker"
cat >"$ROOTFS/etc/docker/daemon.json" <<'JSON'
{
  "exec-opts": ["native.cgroupdriver=cgroupfs"],
  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"],
  "storage-driver": "overlay2",
  "log-driver": "json-file"
}
JSON
echo podlike-vm >"$ROOTFS/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 podlike-vm\n' >"$ROOTFS/etc/hosts"
echo 'nameserver 10.0.2.3' >"$ROOTFS/etc/resolv.conf"
# packages' caches are not needed in the image
rm -rf "$ROOTFS/var/cache/apt/archives/"*.deb "$ROOTFS/var/lib/apt/lists/"*
cp -L "$ROOTFS/vmlinuz" "$VM_KERNEL"
cp -L "$ROOTFS/initrd.img" "$VM_INITRD"

vm_log "packing the root filesystem into $VM_BASE_IMAGE"
# sparse: the guest's docker data lives in a throw-away overlay of this image
mkfs.ext4 -q -F -L podlike-vm -d "$ROOTFS" "$VM_BASE_IMAGE" 6G
unmount_rootfs
rm -rf --one-file-system "$ROOTFS"
install_init
echo "$WANT" >"$STAMP"
vm_log "guest built in $(( $(date +%s) - start )) s ($(du -h --apparent-size "$VM_BASE_IMAGE" | cut -f1) apparent, $(du -h "$VM_BASE_IMAGE" | cut -f1) on disk)"
