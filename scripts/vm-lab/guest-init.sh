#!/bin/bash
# PID 1 of the cgroup-v2 guest (no systemd): mounts the unified cgroup
# hierarchy alone (the kernel is booted with cgroup_no_v1=all), brings up the
# qemu user network, and runs dockerd with the cgroupfs driver, its API on
# tcp 2375 (forwarded to the host's loopback only). Then it reaps orphans.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
say() { echo "lab-init: $*" >/dev/console; }

mount -o remount,rw /
mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 shm /dev/shm
mount -t tmpfs -o mode=755 run /run
mount -t tmpfs -o mode=1777 tmp /tmp
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
say "cgroup: $(stat -fc %T /sys/fs/cgroup), controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
hostname podlike-vm

# no udev here: the devices' drivers are loaded by hand (the kernel still loads the rest on demand)
modprobe -a virtio_net virtio_rng || say "modprobe failed"
for _ in $(seq 100); do [ -e /sys/class/net/eth0 ] && break; sleep 0.2; done
say "network devices: $(ls /sys/class/net | tr '\n' ' ')"
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2

dockerd >/var/log/dockerd.log 2>&1 &
say "dockerd started"

trap '' TERM INT
while :; do wait; sleep 1; done
