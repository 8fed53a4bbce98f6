import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { parseControllerFlags } from "../../src/controller/flags.js";
import { findOwnContainerId, idFromMountinfo } from "../../src/controller/self.js";
import { copyArchive, createTar, type CopySource } from "../../src/controller/copy.js";
import { FrameDemuxer, LineAssembler, pipeComponentLogs } from "../../src/controller/logs.js";
import { aggregate } from "../../src/controller/health.js";
import { readHealthState, writeHealthState, processStartTime } from "../../src/controller/health-state.js";
import { registryAuthFor, registryOf } from "../../src/controller/pull.js";
import { planPod, projectDir, volumeNames } from "../../src/controller/plan.js";
import { sharedMounts } from "../../src/controller/shared-mounts.js";
import { DEFAULT_FLAGS } from "../../src/controller/flags.js";
import { toEngineEvent } from "../../src/controller/dockerode-engine.js";
import { UsageError } from "../../src/diagnostics/errors.js";
import type { ContainerInfo } from "../../src/controller/engine.js";

const ID = "4383fbb494adbd01b31732489b0b0de764ac1984af94540f846c5988314dd304";
const OTHER = "6800bcc8ed9909308c63e998ed5a66255f040e3d97d88cf181d688490c4f3e2d";

describe("controller flags", () => {
  test("GNU and Go forms", () => {
    assert.deepEqual(parseControllerFlags([]).flags, { logs: false, pull: false, pids: true, ipc: true, volumes: false });
    assert.deepEqual(parseControllerFlags(["--logs", "--no-pids", "--no-ipc", "--pull", "--volumes"]).flags, { logs: true, pull: true, pids: false, ipc: false, volumes: true });
    assert.deepEqual(parseControllerFlags(["-logs", "-pids=false", "-ipc=0", "-pull=true", "-volumes=t"]).flags, { logs: true, pull: true, pids: false, ipc: false, volumes: true });
    assert.equal(parseControllerFlags(["--pids=false", "--pids"]).flags.pids, true, "the last one wins");
    assert.equal(parseControllerFlags(["-h"]).help, true);
  });

  test("unknown flags and bad values are usage errors", () => {
    assert.throws(() => parseControllerFlags(["--log"]), (e: unknown) => e instanceof UsageError && /unknown controller flag "--log"/.test(e.message));
    assert.throws(() => parseControllerFlags(["-pids=maybe"]), /the value must be true or false/);
    assert.throws(() => parseControllerFlags(["--no-pids=true"]), UsageError);
  });
});

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

describe("pod.copy archives", () => {
  test("tar lists the files with their mode and owner, and long names survive", () => {
    const dir = mkdtempSync(join(tmpdir(), "podlike-tar-"));
    try {
      const longName = `deep/${"d".repeat(90)}/${"e".repeat(90)}/${"f".repeat(120)}.conf`;
      const tar = createTar([
        { name: "etc/app/key.pem", type: "file", mode: 0o440, uid: 33, gid: 34, content: Buffer.from("secret\n"), mtime: 1_700_000_000 },
        { name: "etc/app/empty", type: "file", mode: 0o600, uid: 0, gid: 0, content: Buffer.alloc(0), mtime: 1_700_000_000 },
        { name: longName, type: "file", mode: 0o644, uid: 0, gid: 0, content: Buffer.from("x".repeat(700)), mtime: 1_700_000_000 },
      ]);
      assert.equal(tar.length % 512, 0);
      writeFileSync(join(dir, "a.tar"), tar);
      const listing = execFileSync("tar", ["-tvf", join(dir, "a.tar"), "--numeric-owner"], { encoding: "utf8" });
      assert.match(listing, /^-r--r----- 33\/34\s+7 .* etc\/app\/key\.pem$/m);
      execFileSync("tar", ["-xf", join(dir, "a.tar"), "-C", dir]);
      assert.equal(readFileSync(join(dir, longName), "utf8"), "x".repeat(700));
      assert.equal(statSync(join(dir, "etc/app/key.pem")).mode & 0o777, 0o440);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("uid and gid above ustar's 2097151 travel in PAX records instead of wrapping", () => {
    const dir = mkdtempSync(join(tmpdir(), "podlike-tar-"));
    try {
      const tar = createTar([
        { name: "run/secrets/token", type: "file", mode: 0o400, uid: 4294967294, gid: 3_000_000, content: Buffer.from("t\n"), mtime: 1_700_000_000 },
        { name: "run/secrets/plain", type: "file", mode: 0o400, uid: 2097151, gid: 7, content: Buffer.from("p\n"), mtime: 1_700_000_000 },
      ]);
      writeFileSync(join(dir, "ids.tar"), tar);
      const listing = execFileSync("tar", ["-tvf", join(dir, "ids.tar"), "--numeric-owner"], { encoding: "utf8" });
      assert.match(listing, /^-r-------- 4294967294\/3000000\s+2 .* run\/secrets\/token$/m);
      assert.match(listing, /^-r-------- 2097151\/7\s+2 .* run\/secrets\/plain$/m);
      assert.throws(() => createTar([{ name: "x", type: "file", mode: 0o400, uid: 4294967295, gid: 0, mtime: 0 }]), /owner id 4294967295 is not between 0 and 4294967294/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("targets ending in / keep the source's name; directories are copied whole; mode defaults to the source's", () => {
    const files: Record<string, string | string[]> = { "/src/conf": ["a.conf", "b.conf"], "/src/conf/a.conf": "A", "/src/conf/b.conf": "B", "/src/one": "1" };
    const source: CopySource = {
      isDirectory: (p) => Array.isArray(files[p]),
      read: (p) => Buffer.from(String(files[p])),
      mode: (p) => (Array.isArray(files[p]) ? 0o755 : 0o600),
      list: (p) => files[p] as string[],
    };
    const tar = copyArchive([{ source: "/src/one", target: "/opt/" }, { source: "/src/conf", target: "/etc/conf.d", uid: 5 }], source, 0);
    const names: string[] = [];
    for (let offset = 0; offset + 512 <= tar.length; ) {
      const header = tar.subarray(offset, offset + 512);
      if (header.every((b) => b === 0)) break;
      const name = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
      const size = parseInt(header.subarray(124, 136).toString("ascii"), 8);
      const mode = parseInt(header.subarray(100, 108).toString("ascii"), 8);
      const uid = parseInt(header.subarray(108, 116).toString("ascii"), 8);
      names.push(`${name} ${mode.toString(8)} ${uid}`);
      offset += 512 + Math.ceil(size / 512) * 512;
    }
    assert.deepEqual(names, ["opt/one 600 0", "etc/conf.d/ 755 5", "etc/conf.d/a.conf 600 5", "etc/conf.d/b.conf 600 5"]);
  });
});

describe("component logs", () => {
  const frame = (stream: number, text: string) => {
    const payload = Buffer.from(text);
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(payload.length, 4);
    return Buffer.concat([header, payload]);
  };

  test("frames split across chunks and lines split across frames are reassembled", async () => {
    const bytes = Buffer.concat([frame(1, "hel"), frame(1, "lo\nsecond"), frame(2, "oops\n"), frame(1, " line\n")]);
    // chop the byte stream at awkward places, inside headers too
    const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 13), bytes.subarray(13, 30), bytes.subarray(30)];
    const out = { stdout: [] as string[], stderr: [] as string[] };
    await pipeComponentLogs("app", Readable.from(chunks), false, { stdout: { write: (s: string) => out.stdout.push(s) }, stderr: { write: (s: string) => out.stderr.push(s) } });
    assert.equal(out.stdout.join(""), "app | hello\napp | second line\n");
    assert.equal(out.stderr.join(""), "app | oops\n");
  });

  test("a TTY stream has no frames; an unfinished last line is still printed", async () => {
    const out: string[] = [];
    await pipeComponentLogs("tty", Readable.from([Buffer.from("a\r\nb")]), true, { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => assert.fail("no stderr with a TTY") } });
    assert.equal(out.join(""), "tty | a\ntty | b\n");
  });

  test("the demuxer keeps a partial header", () => {
    const d = new FrameDemuxer();
    const f = frame(2, "xyz");
    assert.deepEqual(d.push(f.subarray(0, 5)), []);
    assert.deepEqual(d.push(f.subarray(5)).map((x) => [x.stream, x.payload.toString()]), [[2, "xyz"]]);
    const l = new LineAssembler();
    // a multi-byte character split between chunks is decoded whole
    const e = Buffer.from("é\n");
    assert.deepEqual(l.push(e.subarray(0, 1)), []);
    assert.deepEqual(l.push(e.subarray(1)), ["é"]);
  });
});

describe("pod health", () => {
  test("aggregate", () => {
    const up = { name: "a", running: true };
    assert.equal(aggregate([up], false), "starting");
    assert.equal(aggregate([up, { name: "b", running: true, health: "healthy" }], true), "healthy");
    assert.equal(aggregate([up, { name: "b", running: true, health: "starting" }], true), "starting");
    assert.equal(aggregate([up, { name: "b", running: true, health: "unhealthy" }], false), "unhealthy");
    assert.equal(aggregate([{ name: "a", running: false }], true), "unhealthy");
  });

  test("the state file names its writer; a file from an earlier run is stale", () => {
    const dir = mkdtempSync(join(tmpdir(), "podlike-state-"));
    try {
      const path = join(dir, "sub", "health.json");
      assert.equal(readHealthState(path).ok, false);
      writeHealthState(path, { status: "healthy", components: { a: "running" }, pid: process.pid, pidStart: processStartTime(process.pid), updated: new Date().toISOString() });
      const fresh = readHealthState(path);
      assert.ok(fresh.ok && fresh.state.status === "healthy");
      // same pid (PID 1 in a restarted container), different start time
      writeHealthState(path, { status: "healthy", components: {}, pid: process.pid, pidStart: "1", updated: new Date().toISOString() });
      const stale = readHealthState(path);
      assert.ok(!stale.ok && /earlier run/.test(stale.reason));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("images and volumes", () => {
  test("registry credentials come from a mounted config.json", () => {
    assert.equal(registryOf("busybox"), "docker.io");
    assert.equal(registryOf("registry.example.com:5000/team/app:1"), "registry.example.com:5000");
    const config = JSON.stringify({ auths: { "registry.example.com:5000": { auth: Buffer.from("me:pw").toString("base64") }, "https://index.docker.io/v1/": { auth: Buffer.from("hub:tok").toString("base64") } } });
    const read = (p: string) => {
      if (p === "/cfg/config.json") return config;
      throw new Error("ENOENT");
    };
    assert.deepEqual(registryAuthFor("registry.example.com:5000/app", { DOCKER_CONFIG: "/cfg" }, read), { serveraddress: "registry.example.com:5000", username: "me", password: "pw" });
    assert.equal(registryAuthFor("library/busybox", { DOCKER_CONFIG: "/cfg" }, read)?.username, "hub");
    assert.equal(registryAuthFor("quay.io/x", { DOCKER_CONFIG: "/cfg" }, read), undefined);
  });

  test("a component's volume name resolves to the stack volume the controller has mounted", () => {
    const controller = { mounts: [{ type: "volume", name: "mystack_app_logs", source: "", destination: "/l", readOnly: false }, { type: "bind", source: "/var/run/docker.sock", destination: "/var/run/docker.sock", readOnly: false }] } as unknown as ContainerInfo;
    assert.deepEqual(volumeNames(controller), { mystack_app_logs: "mystack_app_logs", app_logs: "mystack_app_logs", logs: "mystack_app_logs" });
  });

  test("a volume mounted where convert puts it maps exactly, even when its real name is unrelated", () => {
    const controller = { mounts: [
      { type: "volume", name: "shared-data-prod", source: "", destination: "/run/podlike/volumes/data", readOnly: false },
      { type: "volume", name: "mystack_logs", source: "", destination: "/run/podlike/volumes/logs", readOnly: false },
    ] } as unknown as ContainerInfo;
    const names = volumeNames(controller);
    assert.equal(names.data, "shared-data-prod");
    assert.equal(names.logs, "mystack_logs");
  });

  test("the stack file's folder is the source of the controller's project mount, and --volumes does not share it", () => {
    const controller = { mounts: [
      { type: "bind", source: "/home/me/proj/deploy", destination: "/run/podlike/project", readOnly: true },
      { type: "bind", source: "/srv/www", destination: "/www", readOnly: true },
    ] } as unknown as ContainerInfo;
    assert.equal(projectDir(controller), "/home/me/proj/deploy");
    assert.deepEqual(sharedMounts(controller).mounts.map((m) => m.Target), ["/www"]);
    assert.equal(projectDir({ mounts: [] } as unknown as ContainerInfo), undefined);
  });

  test("--volumes shares volumes and binds, never the Docker socket or the configs held for copying", () => {
    const controller = { mounts: [
      { type: "volume", name: "mystack_logs", source: "", destination: "/run/podlike/volumes/logs", readOnly: false },
      { type: "bind", source: "/srv/www", destination: "/www", readOnly: true },
      { type: "bind", source: "/var/run/docker.sock", destination: "/var/run/docker.sock", readOnly: false },
      { type: "bind", source: "/var/lib/docker/swarm/configs/x", destination: "/run/podlike/cache/configs/conf", readOnly: true },
    ] } as unknown as ContainerInfo;
    assert.deepEqual(sharedMounts(controller).mounts.map((m) => m.Target), ["/run/podlike/volumes/logs", "/www"]);
  });

  test("--volumes recognises the engine socket by its host source, under any target, and folders holding it", () => {
    const controller = { mounts: [
      { type: "bind", source: "/var/run/docker.sock", destination: "/engine.sock", readOnly: false },
      { type: "bind", source: "/var/run", destination: "/host-run", readOnly: true },
      { type: "bind", source: "/run/", destination: "/host-run2", readOnly: true },
      { type: "bind", source: "/", destination: "/host", readOnly: true },
      { type: "bind", source: "/srv/other.sock", destination: "/var/run/docker.sock", readOnly: false },
      { type: "bind", source: "/srv", destination: "/data", readOnly: false },
      { type: "bind", source: "/srv/www", destination: "/www", readOnly: true },
    ] } as unknown as ContainerInfo;
    const shared = sharedMounts(controller);
    // /srv/other.sock is what the controller talks to (it sits where clients look), so it is the socket, as is the folder holding it
    assert.deepEqual(shared.mounts.map((m) => m.Source), ["/srv/www"]);
    assert.equal(shared.warnings.length, 6);
    assert.match(shared.warnings[0]!, /\/var\/run\/docker\.sock \(at \/engine\.sock\) is not shared with the components: it holds the Docker engine's socket/);
  });

  test("--volumes keeps back a volume the socket is mounted inside: it holds the engine's empty placeholder docker.sock", () => {
    const controller = { mounts: [
      { type: "volume", name: "mystack_run", source: "", destination: "/var/run", readOnly: false },
      { type: "bind", source: "/var/run/docker.sock", destination: "/var/run/docker.sock", readOnly: false },
      { type: "volume", name: "mystack_data", source: "", destination: "/data", readOnly: false },
    ] } as unknown as ContainerInfo;
    const shared = sharedMounts(controller);
    assert.deepEqual(shared.mounts.map((m) => m.Source), ["mystack_data"]);
    assert.match(shared.warnings.join("\n"), /mystack_run \(at \/var\/run\) is not shared with the components: the engine socket is mounted inside it/);
  });
});

describe("the pod sandbox", () => {
  const controller: ContainerInfo = {
    id: "c".repeat(64), name: "web", imageId: "sha256:" + "1".repeat(64), labels: { "pod.component.app": "image: busybox" },
    running: true, status: "running", exitCode: 0, ipcMode: "private", pidMode: "", networkMode: "default", cgroupParent: "", mounts: [], tty: false,
  };

  test("runs the controller's own image: podlike-pause when the image has it, node otherwise; never the image's health check", () => {
    const withPause = planPod(controller, DEFAULT_FLAGS, { pauseProgram: "/usr/local/bin/podlike-pause" }).holder!;
    assert.equal(withPause.name, "web.podlike-sandbox");
    assert.equal(withPause.body.Image, controller.imageId);
    assert.deepEqual(withPause.body.Entrypoint, ["/usr/local/bin/podlike-pause"]);
    assert.deepEqual(withPause.body.Healthcheck, { Test: ["NONE"] });
    const withoutPause = planPod(controller, DEFAULT_FLAGS).holder!;
    assert.equal((withoutPause.body.Entrypoint as string[])[0], "node");
  });

  test("owns a PID namespace of its own and a shareable IPC namespace, in the controller's network namespace", () => {
    const host = planPod(controller, DEFAULT_FLAGS).holder!.body.HostConfig!;
    assert.equal(host.PidMode, "");
    assert.equal(host.IpcMode, "shareable");
    assert.equal(host.NetworkMode, `container:${controller.id}`);
  });

  test("components join it for PIDs and IPC as the flags say; without either there is no sandbox", () => {
    const hostOf = (flags: Partial<typeof DEFAULT_FLAGS>) => planPod(controller, { ...DEFAULT_FLAGS, ...flags }).components[0]!.body.HostConfig!;
    assert.equal(hostOf({}).PidMode, "container:web.podlike-sandbox");
    assert.equal(hostOf({}).IpcMode, "container:web.podlike-sandbox");
    assert.equal(hostOf({ pids: false }).PidMode, undefined);
    assert.equal(hostOf({ pids: false }).IpcMode, "container:web.podlike-sandbox");
    assert.equal(hostOf({ ipc: false }).IpcMode, undefined);
    assert.equal(hostOf({ ipc: false }).PidMode, "container:web.podlike-sandbox");
    assert.equal(planPod(controller, { ...DEFAULT_FLAGS, pids: false, ipc: false }).holder, undefined);
  });
});
