import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { ComponentSpecError, componentCreateBody, type PodContext } from "../../src/controller/container-spec.js";

const POD: PodContext = {
  controllerId: "c0ffee",
  controllerName: "stack_web.1.abc",
  cgroupParent: "/pods",
  ipcMode: "container:sandbox",
  pidMode: "container:sandbox",
  volumeNames: { logs: "stack_logs" },
  labels: { "podlike.controller": "c0ffee", "podlike.component": "app" },
};

/** The create call for a component written as inline YAML. */
function create(yaml: string, pod: Partial<PodContext> = {}) {
  return componentCreateBody("app", parse(yaml), { ...POD, ...pod });
}
const host = (yaml: string, pod: Partial<PodContext> = {}) => create(yaml, pod).body.HostConfig as Record<string, any>;

describe("componentCreateBody: the pod", () => {
  test("names the container after the controller and joins its namespaces and cgroup parent", () => {
    const { name, body } = create("image: app:1");
    assert.equal(name, "stack_web.1.abc.podlike.app");
    assert.equal(body.Image, "app:1");
    assert.deepEqual(body.HostConfig, {
      NetworkMode: "container:c0ffee",
      PidMode: "container:sandbox",
      IpcMode: "container:sandbox",
      CgroupParent: "/pods",
    });
  });

  test("keeps its own PID and IPC namespaces when the pod does not share them", () => {
    const hc = host("image: app:1", { pidMode: undefined, ipcMode: undefined, cgroupParent: undefined });
    assert.deepEqual(hc, { NetworkMode: "container:c0ffee" });
  });

  test("the runtime's labels win over the component's own", () => {
    const { body } = create("image: app:1\nlabels: [team=web, podlike.controller=forged, flag]");
    assert.deepEqual(body.Labels, { team: "web", flag: "", "podlike.controller": "c0ffee", "podlike.component": "app" });
  });

  test("a component without an image is refused, naming the component and key", () => {
    assert.throws(() => create("command: sleep 1"), (e: unknown) => e instanceof ComponentSpecError && e.component === "app" && e.key === "image");
  });
});

describe("componentCreateBody: process", () => {
  test("a command string is split as a shell would, a list is kept", () => {
    assert.deepEqual(create(`image: a\ncommand: sh -c 'echo "hi there"' x\\ y`).body.Cmd, ["sh", "-c", 'echo "hi there"', "x y"]);
    assert.deepEqual(create("image: a\ncommand: [echo, 1, two]").body.Cmd, ["echo", "1", "two"]);
  });

  test("an empty entrypoint resets the image's entrypoint", () => {
    assert.deepEqual(create("image: a\nentrypoint: []").body.Entrypoint, []);
    assert.deepEqual(create('image: a\nentrypoint: ""').body.Entrypoint, []);
    assert.deepEqual(create("image: a\nentrypoint: /init --verbose").body.Entrypoint, ["/init", "--verbose"]);
  });

  test("environment as a list or a mapping; names without a value are dropped", () => {
    assert.deepEqual(create("image: a\nenvironment: [A=1, B=x=y, C, D=]").body.Env, ["A=1", "B=x=y", "D="]);
    assert.deepEqual(create("image: a\nenvironment: {A: 1, B: true, C: null, D: ''}").body.Env, ["A=1", "B=true", "D="]);
  });

  test("user, working_dir, tty, stdin_open, stop_signal", () => {
    const { body } = create("image: a\nuser: 1000\nworking_dir: /srv\ntty: 'true'\nstdin_open: true\nstop_signal: SIGQUIT");
    assert.equal(body.User, "1000");
    assert.equal(body.WorkingDir, "/srv");
    assert.equal(body.Tty, true);
    assert.equal(body.OpenStdin, true);
    assert.equal(body.StopSignal, "SIGQUIT");
  });

  test("stop_grace_period becomes whole seconds, rounded up", () => {
    assert.equal(create("image: a\nstop_grace_period: 1m30s").body.StopTimeout, 90);
    assert.equal(create("image: a\nstop_grace_period: 1500ms").body.StopTimeout, 2);
    assert.equal(create("image: a\nstop_grace_period: 0s").body.StopTimeout, 0);
  });
});

describe("componentCreateBody: healthcheck", () => {
  test("durations in nanoseconds, retries, and a string test run by the shell", () => {
    const { body } = create("image: a\nhealthcheck: {test: wget -q localhost, interval: 1m30s, timeout: 500ms, start_period: 5s, start_interval: 1s, retries: 4}");
    assert.deepEqual(body.Healthcheck, {
      Test: ["CMD-SHELL", "wget -q localhost"],
      Interval: 90_000_000_000,
      Timeout: 500_000_000,
      StartPeriod: 5_000_000_000,
      StartInterval: 1_000_000_000,
      Retries: 4,
    });
  });

  test("list forms are kept; disable and NONE switch the image's check off", () => {
    assert.deepEqual(create("image: a\nhealthcheck: {test: [CMD, true]}").body.Healthcheck, { Test: ["CMD", "true"] });
    assert.deepEqual(create("image: a\nhealthcheck: {test: [CMD-SHELL, exit 0]}").body.Healthcheck, { Test: ["CMD-SHELL", "exit 0"] });
    assert.deepEqual(create("image: a\nhealthcheck: {test: [NONE]}").body.Healthcheck, { Test: ["NONE"] });
    assert.deepEqual(create("image: a\nhealthcheck: {disable: true, test: [CMD, true]}").body.Healthcheck, { Test: ["NONE"] });
  });

  test("a timing without a test keeps the image's test", () => {
    assert.deepEqual(create("image: a\nhealthcheck: {interval: 2s}").body.Healthcheck, { Interval: 2_000_000_000 });
  });

  test("a list test without NONE/CMD/CMD-SHELL, or a bad duration, is refused", () => {
    assert.throws(() => create("image: a\nhealthcheck: {test: [curl, localhost]}"), /healthcheck.test must start with NONE, CMD or CMD-SHELL/);
    assert.throws(() => create("image: a\nhealthcheck: {test: 'exit 0', interval: soon}"), /component "app": healthcheck.interval must be a duration/);
  });
});

describe("componentCreateBody: filesystem", () => {
  test("named volumes resolve to the controller's volumes; unknown names stay as written", () => {
    const hc = host("image: a\nvolumes: [logs:/var/log/app:ro, cache:/cache, /anonymous]");
    assert.deepEqual(hc.Mounts, [
      { Type: "volume", Target: "/var/log/app", ReadOnly: true, Source: "stack_logs" },
      { Type: "volume", Target: "/cache", ReadOnly: false, Source: "cache" },
      { Type: "volume", Target: "/anonymous", ReadOnly: false },
    ]);
    assert.equal(hc.Binds, undefined);
  });

  test("short-syntax binds create a missing host path (Binds); long syntax uses Mounts unless create_host_path", () => {
    const hc = host(`
image: a
volumes:
  - /srv/conf:/etc/app:ro
  - /srv/z:/z:z
  - {type: bind, source: /srv/data, target: /data, bind: {propagation: rslave}}
  - {type: bind, source: /srv/new, target: /new, bind: {create_host_path: true}}
`);
    assert.deepEqual(hc.Binds, ["/srv/conf:/etc/app:ro", "/srv/z:/z:rw,z", "/srv/new:/new:rw"]);
    assert.deepEqual(hc.Mounts, [{ Type: "bind", Source: "/srv/data", Target: "/data", ReadOnly: false, BindOptions: { Propagation: "rslave" } }]);
  });

  test("long syntax: volume options, tmpfs size and mode, read_only", () => {
    const hc = host(`
image: a
volumes:
  - {type: volume, source: logs, target: /logs, read_only: true, volume: {nocopy: true}}
  - {type: tmpfs, target: /scratch, tmpfs: {size: 64m, mode: 0o1777}}
`);
    assert.deepEqual(hc.Mounts, [
      { Type: "volume", Target: "/logs", ReadOnly: true, Source: "stack_logs", VolumeOptions: { NoCopy: true } },
      { Type: "tmpfs", Target: "/scratch", ReadOnly: false, TmpfsOptions: { SizeBytes: 64 * 1024 * 1024, Mode: 0o1777 } },
    ]);
  });

  test("volume.subpath is passed on with a warning about older engines", () => {
    const { body, warnings } = create("image: a\nvolumes: [{type: volume, source: logs, target: /l, volume: {subpath: app}}]");
    assert.deepEqual((body.HostConfig as any).Mounts[0].VolumeOptions, { Subpath: "app" });
    assert.match(warnings.join("\n"), /subpath of \/l needs Docker 26/);
  });

  test("a relative bind source resolves against the stack file's folder the controller has mounted", () => {
    const hc = host("image: a\nvolumes: [../static:/html:ro, {type: bind, source: ./conf, target: /etc/app}]", { projectDir: "/home/me/proj/deploy" });
    assert.deepEqual(hc.Binds, ["/home/me/proj/static:/html:ro"]);
    assert.deepEqual(hc.Mounts, [{ Type: "bind", Source: "/home/me/proj/deploy/conf", Target: "/etc/app", ReadOnly: false }]);
  });

  test("a relative or missing bind source, or an unreadable entry, is refused", () => {
    assert.throws(() => create("image: a\nvolumes: [./conf:/etc/app]"), /volumes\[0\] bind source "\.\/conf" is not an absolute path/);
    assert.throws(() => create("image: a\nvolumes: [{type: bind, target: /x}]"), /volumes\[0\] is a bind mount without a source/);
    assert.throws(() => create("image: a\nvolumes: [/a:/b:/c:/d]"), /volumes\[0\] cannot be read/);
  });

  test("npipe and cluster volumes are skipped with a warning", () => {
    const { body, warnings } = create("image: a\nvolumes: [{type: npipe, source: x, target: /x}]");
    assert.equal((body.HostConfig as any).Mounts, undefined);
    assert.match(warnings.join("\n"), /volumes\[0\] of type npipe is ignored/);
  });

  test("the pod's shared mounts are added, except where the component mounts the same path", () => {
    const sharedMounts = [
      { Type: "volume", Source: "stack_data", Target: "/data" },
      { Type: "bind", Source: "/srv/shared", Target: "/shared" },
    ];
    const hc = host("image: a\nvolumes: [own:/data]", { sharedMounts });
    assert.deepEqual(hc.Mounts, [
      { Type: "volume", Target: "/data", ReadOnly: false, Source: "own" },
      { Type: "bind", Source: "/srv/shared", Target: "/shared" },
    ]);
  });

  test("tmpfs as a string or a list, with options", () => {
    assert.deepEqual(host("image: a\ntmpfs: /run").Tmpfs, { "/run": "" });
    assert.deepEqual(host("image: a\ntmpfs: [/run, '/tmp:size=64m,mode=1777']").Tmpfs, { "/run": "", "/tmp": "size=64m,mode=1777" });
  });

  test("read_only and volumes_from (another component of the pod, or any container)", () => {
    const hc = host("image: a\nread_only: true\nvolumes_from: [service:data, data2:ro, container:other:rw]");
    assert.equal(hc.ReadonlyRootfs, true);
    assert.deepEqual(hc.VolumesFrom, ["stack_web.1.abc.podlike.data", "stack_web.1.abc.podlike.data2:ro", "other:rw"]);
  });
});

describe("componentCreateBody: security and kernel", () => {
  test("capabilities, security options, groups, sysctls, init, runtime", () => {
    const hc = host(`
image: a
cap_add: [NET_ADMIN]
cap_drop: [ALL]
security_opt: [no-new-privileges:true]
group_add: [audio, 1001]
sysctls: [net.core.somaxconn=1024]
init: true
runtime: runc
cgroup: private
userns_mode: host
uts: host
device_cgroup_rules: ['c 1:3 mr']
annotations: [com.example.owner=web]
`);
    assert.deepEqual(hc.CapAdd, ["NET_ADMIN"]);
    assert.deepEqual(hc.CapDrop, ["ALL"]);
    assert.deepEqual(hc.SecurityOpt, ["no-new-privileges:true"]);
    assert.deepEqual(hc.GroupAdd, ["audio", "1001"]);
    assert.deepEqual(hc.Sysctls, { "net.core.somaxconn": "1024" });
    assert.equal(hc.Init, true);
    assert.equal(hc.Runtime, "runc");
    assert.equal(hc.CgroupnsMode, "private");
    assert.equal(hc.UsernsMode, "host");
    assert.equal(hc.UTSMode, "host");
    assert.deepEqual(hc.DeviceCgroupRules, ["c 1:3 mr"]);
    assert.deepEqual(hc.Annotations, { "com.example.owner": "web" });
  });

  test("sysctls as a mapping", () => {
    assert.deepEqual(host("image: a\nsysctls: {kernel.msgmax: 65536}").Sysctls, { "kernel.msgmax": "65536" });
  });

  test("privileged is passed on with a warning", () => {
    const { body, warnings } = create("image: a\nprivileged: true");
    assert.equal((body.HostConfig as any).Privileged, true);
    assert.match(warnings.join("\n"), /component "app" runs privileged/);
    assert.deepEqual(create("image: a\nprivileged: false").warnings, []);
  });

  test("devices in every short form and the long form", () => {
    assert.deepEqual(host("image: a\ndevices: [/dev/fuse, '/dev/sda:/dev/xvda', '/dev/snd:r', '/dev/a:/dev/b:rw', {source: /dev/c, permissions: r}]").Devices, [
      { PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "rwm" },
      { PathOnHost: "/dev/sda", PathInContainer: "/dev/xvda", CgroupPermissions: "rwm" },
      { PathOnHost: "/dev/snd", PathInContainer: "/dev/snd", CgroupPermissions: "r" },
      { PathOnHost: "/dev/a", PathInContainer: "/dev/b", CgroupPermissions: "rw" },
      { PathOnHost: "/dev/c", PathInContainer: "/dev/c", CgroupPermissions: "r" },
    ]);
  });

  test("logging driver and options", () => {
    assert.deepEqual(host("image: a\nlogging: {driver: json-file, options: {max-size: 10m, max-file: 3}}").LogConfig, {
      Type: "json-file",
      Config: { "max-size": "10m", "max-file": "3" },
    });
    assert.deepEqual(host("image: a\nlogging: {options: {tag: x}}").LogConfig, { Type: "", Config: { tag: "x" } });
  });
});

describe("componentCreateBody: resources", () => {
  test("memory sizes, CPU settings, PIDs and OOM settings", () => {
    const hc = host(`
image: a
mem_limit: 512m
memswap_limit: -1
mem_reservation: 128m
mem_swappiness: 0
shm_size: 1g
cpus: 1.5
cpu_shares: 512
cpu_quota: 50000
cpu_period: 100000
cpu_rt_period: 1s
cpu_rt_runtime: 950
cpuset: 0-1
pids_limit: 100
oom_score_adj: -500
oom_kill_disable: true
`);
    assert.equal(hc.Memory, 512 * 1024 ** 2);
    assert.equal(hc.MemorySwap, -1);
    assert.equal(hc.MemoryReservation, 128 * 1024 ** 2);
    assert.equal(hc.MemorySwappiness, 0);
    assert.equal(hc.ShmSize, 1024 ** 3);
    assert.equal(hc.NanoCpus, 1_500_000_000);
    assert.equal(hc.CpuShares, 512);
    assert.equal(hc.CpuQuota, 50000);
    assert.equal(hc.CpuPeriod, 100000);
    assert.equal(hc.CpuRealtimePeriod, 1_000_000);
    assert.equal(hc.CpuRealtimeRuntime, 950);
    assert.equal(hc.CpusetCpus, "0-1");
    assert.equal(hc.PidsLimit, 100);
    assert.equal(hc.OomScoreAdj, -500);
    assert.equal(hc.OomKillDisable, true);
  });

  test("ulimits as one number or soft and hard, by name as deploy sends them", () => {
    assert.deepEqual(host("image: a\nulimits: {nproc: 65535, nofile: {soft: 20000, hard: 40000}}").Ulimits, [
      { Name: "nofile", Soft: 20000, Hard: 40000 },
      { Name: "nproc", Soft: 65535, Hard: 65535 },
    ]);
  });

  test("blkio_config", () => {
    const hc = host(`
image: a
blkio_config:
  weight: 300
  weight_device: [{path: /dev/sda, weight: 400}]
  device_read_bps: [{path: /dev/sda, rate: 12mb}]
  device_write_iops: [{path: /dev/sda, rate: 30}]
`);
    assert.equal(hc.BlkioWeight, 300);
    assert.deepEqual(hc.BlkioWeightDevice, [{ Path: "/dev/sda", Weight: 400 }]);
    assert.deepEqual(hc.BlkioDeviceReadBps, [{ Path: "/dev/sda", Rate: 12 * 1024 ** 2 }]);
    assert.deepEqual(hc.BlkioDeviceWriteIOps, [{ Path: "/dev/sda", Rate: 30 }]);
  });

  test("deploy.resources fills in what the service-level keys leave unset", () => {
    const deploy = "deploy: {resources: {limits: {cpus: '0.25', memory: 64m, pids: 50}, reservations: {memory: 32m}}}";
    const fromDeploy = host(`image: a\n${deploy}`);
    assert.equal(fromDeploy.NanoCpus, 250_000_000);
    assert.equal(fromDeploy.Memory, 64 * 1024 ** 2);
    assert.equal(fromDeploy.PidsLimit, 50);
    assert.equal(fromDeploy.MemoryReservation, 32 * 1024 ** 2);
    const serviceWins = host(`image: a\ncpus: 2\nmem_limit: 1g\n${deploy}`);
    assert.equal(serviceWins.NanoCpus, 2_000_000_000);
    assert.equal(serviceWins.Memory, 1024 ** 3);
  });

  test("gpus and reserved devices become device requests", () => {
    assert.deepEqual(host("image: a\ngpus: all").DeviceRequests, [{ Driver: "", Count: -1, Capabilities: [["gpu"]] }]);
    assert.deepEqual(
      host("image: a\ndeploy: {resources: {reservations: {devices: [{driver: nvidia, device_ids: ['0'], capabilities: [gpu, utility]}]}}}").DeviceRequests,
      [{ Driver: "nvidia", DeviceIDs: ["0"], Capabilities: [["gpu", "utility"]] }],
    );
  });

  test("shm_size while the pod shares IPC is warned about", () => {
    assert.match(create("image: a\nshm_size: 64m").warnings.join("\n"), /shm_size has no effect/);
    assert.deepEqual(create("image: a\nshm_size: 64m", { ipcMode: undefined }).warnings, []);
  });

  test("a value that cannot be read is refused with the component and key", () => {
    assert.throws(
      () => create("image: a\nmem_limit: lots"),
      (e: unknown) => e instanceof ComponentSpecError && e.key === "mem_limit" && /component "app": mem_limit must be a size/.test(e.message) && !!e.hint,
    );
    assert.throws(() => create("image: a\ncpus: many"), /cpus must be a number/);
    assert.throws(() => create("image: a\nulimits: {nofile: {soft: x, hard: 2}}"), /ulimits\.nofile\.soft must be a whole number/);
    assert.throws(() => create("image: a\ntty: maybe"), /tty must be true or false/);
  });
});

describe("componentCreateBody: keys it does not map", () => {
  test("networking keys are ignored with one warning each; extension and runtime keys silently", () => {
    const { body, warnings } = create(`
image: a
ports: ["80:80"]
networks: [front]
hostname: web
extra_hosts: [db:10.0.0.2]
depends_on: [db]
configs: [conf]
secrets: [key]
x-note: kept out
x-podlike-name: migrate
`);
    assert.deepEqual(warnings.map((w) => w.split(" is ignored")[0]), [
      'component "app": ports',
      'component "app": networks',
      'component "app": hostname',
      'component "app": extra_hosts',
    ]);
    assert.deepEqual(Object.keys(body.HostConfig as object), ["NetworkMode", "PidMode", "IpcMode", "CgroupParent"]);
  });

  test("an unknown key is warned about", () => {
    assert.deepEqual(create("image: a\nimagee: b").warnings, ['component "app": unknown key imagee is ignored']);
  });
});
