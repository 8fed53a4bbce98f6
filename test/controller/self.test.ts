import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { findOwnContainerId, idFromMountinfo } from "../../src/controller/self.js";

const ID = "4383fbb494adbd01b31732489b0b0de764ac1984af94540f846c5988314dd304";
const OTHER = "6800bcc8ed9909308c63e998ed5a66255f040e3d97d88cf181d688490c4f3e2d";

describe("finding the controller's own container", () => {
  const mountinfoV2 = [
    `600 500 0:50 / / rw,relatime - overlay overlay rw`,
    `610 600 0:60 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw`,
    `620 600 254:0 /var/lib/docker/containers/${ID}/resolv.conf /etc/resolv.conf rw - ext4 /dev/vda rw`,
    `621 600 254:0 /var/lib/docker/containers/${ID}/hostname /etc/hostname rw - ext4 /dev/vda rw`,
  ].join("\n");
  const mountinfoV1 = [
    `82 81 0:29 /docker/${ID} /sys/fs/cgroup/cpu ro,nosuid - cgroup cgroup rw,cpu`,
    // a log shipper that mounts another container's folder must not be mistaken for itself
    `90 76 254:0 /var/lib/docker/containers/${OTHER} /logs/other rw - ext4 /dev/vda rw`,
  ].join("\n");

  test("cgroup v2 (no id in cgroup paths): the container's /etc/hostname mount", () => {
    assert.equal(idFromMountinfo(mountinfoV2), ID);
    assert.deepEqual(findOwnContainerId({ env: {}, readFile: (p) => (p === "/proc/self/mountinfo" ? mountinfoV2 : "0::/\n") }), { id: ID, from: "mountinfo" });
  });

  test("cgroup v1: the cgroup mount's path", () => {
    assert.equal(idFromMountinfo(mountinfoV1), ID);
  });

  test("PODLIKE_CONTAINER_ID wins; HOSTNAME is the last resort", () => {
    assert.deepEqual(findOwnContainerId({ env: { PODLIKE_CONTAINER_ID: "abc", HOSTNAME: "h" }, readFile: () => mountinfoV2 }), { id: "abc", from: "PODLIKE_CONTAINER_ID" });
    assert.deepEqual(findOwnContainerId({ env: { HOSTNAME: "4383fbb494ad" }, readFile: () => undefined }), { id: "4383fbb494ad", from: "HOSTNAME" });
    assert.deepEqual(findOwnContainerId({ env: {}, readFile: (p) => (p === "/proc/self/cgroup" ? `12:pids:/docker/${ID}\n` : "") }), { id: ID, from: "cgroup" });
    assert.equal(findOwnContainerId({ env: {}, readFile: () => undefined }), undefined);
  });
});
