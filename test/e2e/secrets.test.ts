/**
 * A member's secrets on a real engine: copied onto a tmpfs at the secret's
 * folder, with their mode and owner, never into the component's writable
 * layer (so not in `docker export`), read-only components included; the
 * tmpfs volumes go with the pod.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUSYBOX, DOCKER, docker, e2eOptions, testName } from "../support/engine.js";
import { component, ensureControllerImage, exec, exitCodeOf, podContainers, removePod, runController, waitFor } from "../controller/e2e-support.js";

const TOKEN = "podliketest-token-4821";

describe("secrets live on tmpfs", e2eOptions(), () => {
  const name = testName("secrets");
  const files = mkdtempSync(join(tmpdir(), "podliketest-secrets-"));
  let id = "";
  const podVolumes = () => docker(["volume", "ls", "-q", "--filter", `label=podlike.controller=${id}`]).split("\n").filter(Boolean);

  before(async () => {
    ensureControllerImage();
    writeFileSync(join(files, "token"), TOKEN + "\n");
    chmodSync(join(files, "token"), 0o644);
    id = runController(name, {
      labels: {
        "pod.component.app": component([`image: ${BUSYBOX}`, "command: sleep 3600", "init: true"]),
        "pod.component.ro": component([`image: ${BUSYBOX}`, "command: sleep 3600", "init: true", "read_only: true"]),
        // what convert writes for a member's Swarm secret: held by the controller under /run/podlike, copied in
        "pod.copy.app": "- source: /run/podlike/app/secrets/token\n  target: /run/secrets/token\n  mode: '0400'\n  uid: 33\n  gid: 34\n",
        "pod.copy.ro": "- source: /run/podlike/ro/secrets/token\n  target: /etc/app/secret/key\n  mode: '0440'\n",
      },
      dockerArgs: [
        "-v", `${join(files, "token")}:/run/podlike/app/secrets/token:ro`,
        "-v", `${join(files, "token")}:/run/podlike/ro/secrets/token:ro`,
      ],
    });
    await waitFor("both components running", () => podContainers(id).filter((c) => c.state === "running" && /\.podlike\.(app|ro)$/.test(c.name)).length === 2, 60_000);
  });

  after(() => {
    removePod(name, id);
    for (const volume of podVolumes()) docker(["volume", "rm", "-f", volume], { allowFail: true });
    rmSync(files, { recursive: true, force: true });
  });

  test("the secret's folder is a tmpfs and the file has its mode and owner", () => {
    const app = `${name}.podlike.app`;
    assert.match(exec(app, "grep ' /run/secrets ' /proc/mounts"), /^\S+ \/run\/secrets tmpfs /);
    assert.equal(exec(app, "stat -c '%a %u %g' /run/secrets/token"), "400 33 34");
    assert.equal(exec(app, "cat /run/secrets/token"), TOKEN);
  });

  test("docker export of the component does not contain the secret", () => {
    const exported = spawnSync(DOCKER, ["export", `${name}.podlike.app`], { maxBuffer: 512 * 1024 * 1024 });
    assert.equal(exported.status, 0, String(exported.stderr));
    assert.ok(exported.stdout.length > 100_000, "the export holds the image's files");
    assert.equal(exported.stdout.includes(Buffer.from(TOKEN)), false);
  });

  test("a read-only component receives its secret on a tmpfs too", () => {
    const ro = `${name}.podlike.ro`;
    assert.match(exec(ro, "grep ' /etc/app/secret ' /proc/mounts"), /^\S+ \/etc\/app\/secret tmpfs /);
    assert.equal(exec(ro, "stat -c '%a' /etc/app/secret/key; cat /etc/app/secret/key"), `440\n${TOKEN}`);
    assert.match(spawnSync(DOCKER, ["exec", ro, "touch", "/etc/other"], { encoding: "utf8" }).stderr, /Read-only file system/);
  });

  test("the pod's secret volumes go with it", async () => {
    assert.equal(podVolumes().length, 2);
    docker(["kill", "--signal", "TERM", name]);
    assert.equal(await exitCodeOf(name, 30_000), 0);
    assert.deepEqual(podContainers(id), []);
    assert.deepEqual(podVolumes(), []);
  });
});
