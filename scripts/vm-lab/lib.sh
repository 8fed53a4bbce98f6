# Shared by the cgroup-v2 VM lab's scripts: where things are and how to reach the guest.
VM_LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$VM_LAB_DIR/../.." && pwd)
# the built guest (git-ignored, rebuilt when absent) and the state of the running VM
VM_CACHE=${VM_LAB_CACHE:-$REPO_ROOT/.vm-lab}
VM_RUN=$VM_CACHE/run
VM_BASE_IMAGE=$VM_CACHE/base.img
VM_KERNEL=$VM_CACHE/vmlinuz
VM_INITRD=$VM_CACHE/initrd.img
VM_SUITE=bookworm
VM_MIRROR=${VM_LAB_MIRROR:-http://deb.debian.org/debian}
# bump when the guest's recipe changes, so a cached guest is rebuilt
VM_RECIPE=1
vm_log() { printf 'vm-lab: %s\n' "$*" >&2; }
