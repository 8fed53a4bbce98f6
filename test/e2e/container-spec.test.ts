/**
 * The real engine accepts a component created from a rich Compose definition
 * and runs it in the controller's namespaces with the mapped settings.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";
import { componentCreateBody, type PodContext } from "../../src/controller/container-spec.js";

const SERVICE = {
  image: BUSYBOX,
  command: ["sh", "-c", "echo ok > /scratch/ready; exec sleep 300"],
  environment: ["MODE=production", "UNSET_IN_SHELL", "EMPTY="],
  labels: { "com.example.team": "web" },
  annotations: { "com.example.owner": "web" }, // Docker 24+; older engines ignore it
  user: "1000:1000",
  working_dir: "/srv/app",
  healthcheck: { test: "test -f /scratch/ready", interval: "1s", timeout: "2s", start_period: "1s", retries: 2 },
  stop_signal: "SIGUSR1",
  stop_grace_period: "2500ms",
  read_only: true,
  tmpfs: ["/tmp:size=8m"],
  cap_add: ["SYS_PTRACE"],
  cap_drop: ["NET_RAW"],
  ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 512 },
  sysctls: { "net.ipv4.ip_unprivileged_port_start": 80 },
  security_opt: ["no-new-privileges:true"],
  group_add: [1001],
  init: true,
  mem_limit: "64m",
  mem_reservation: "32m",
  cpus: 0.5,
  cpu_shares: 512,
  pids_limit: 64,
  oom_score_adj: 100,
  devices: ["/dev/null:/dev/podlike-null:rw"],
  logging: { driver: "json-file", options: { "max-size": "1m", "max-file": 2 } },
  volumes: [
    "logs:/logs",
    { type: "tmpfs", target: "/scratch", tmpfs: { size: "4m", mode: 0o1777 } },
  ] as unknown[],
  ports: ["8080:80"],
  depends_on: ["db"],
  "x-podlike-name": "app",
};

describe("component create body on the real engine", e2eOptions(), () => {
  const engine = new Docker();
  const controllerName = testName("cs-ctl");
  const volumeName = testName("cs-logs");
  const hostDir = mkdtempSync(join(tmpdir(), "podliketest-cs-"));
  let componentName = "";
  let controllerId = "";
  let created: ReturnType<typeof componentCreateBody>;
  let inspect: any;

  before(async () => {
    chmodSync(hostDir, 0o755); // the component runs as uid 1000
    writeFileSync(join(hostDir, "conf.txt"), "from the host\n");
    docker(["volume", "create", volumeName]);
    controllerId = docker(["run", "-d", "--name", controllerName, "--ipc", "shareable", BUSYBOX, "sleep", "300"]);
    const pod: PodContext = {
      controllerId,
      controllerName,
      ipcMode: `container:${controllerId}`,
      pidMode: `container:${controllerId}`,
      volumeNames: { logs: volumeName },
      labels: { "podlike.controller": controllerId, "podlike.component": "app" },
    };
    const service = { ...SERVICE, volumes: [...SERVICE.volumes, `${hostDir}:/host:ro`] };
    created = componentCreateBody("app", service, pod);
    componentName = created.name;
    const container = await engine.createContainer({ name: created.name, ...created.body });
    await container.start();
    inspect = JSON.parse(docker(["inspect", created.name]))[0];
  });

  after(() => {
    if (componentName) docker(["rm", "-f", "-v", componentName], { allowFail: true });
    docker(["rm", "-f", controllerName], { allowFail: true });
    docker(["volume", "rm", volumeName], { allowFail: true });
    rmSync(hostDir, { recursive: true, force: true });
  });

  test("warns only about the keys it ignores", () => {
    assert.deepEqual(created.warnings, ['component "app": ports is ignored: ' + "networking is the controller's: the component joins the controller's network namespace; podlike convert publishes the ports on the pod's service"]);
  });

  test("the container runs under its pod name in the controller's namespaces", () => {
    assert.equal(inspect.Name, `/${controllerName}.podlike.app`);
    assert.equal(inspect.State.Running, true);
    assert.equal(inspect.HostConfig.NetworkMode, `container:${controllerId}`);
    assert.equal(inspect.HostConfig.PidMode, `container:${controllerId}`);
    assert.equal(inspect.HostConfig.IpcMode, `container:${controllerId}`);
    // the controller's sleep is visible from the component: one PID namespace
    assert.match(docker(["exec", componentName, "ps", "-o", "args"]), /sleep 300\n/);
  });

  test("process settings: command, environment, labels, user, working dir, stop", () => {
    assert.deepEqual(inspect.Config.Cmd, SERVICE.command);
    assert.ok(inspect.Config.Env.includes("MODE=production"));
    assert.ok(inspect.Config.Env.includes("EMPTY="));
    assert.ok(!inspect.Config.Env.some((e: string) => e.startsWith("UNSET_IN_SHELL")));
    assert.equal(inspect.Config.Labels["com.example.team"], "web");
    assert.equal(inspect.Config.Labels["podlike.controller"], controllerId);
    assert.equal(inspect.Config.User, "1000:1000");
    assert.equal(inspect.Config.WorkingDir, "/srv/app");
    assert.equal(inspect.Config.StopSignal, "SIGUSR1");
    assert.equal(inspect.Config.StopTimeout, 3);
    assert.equal(docker(["exec", componentName, "sh", "-c", 'echo "$(id -u):$(id -G) $PWD $MODE"']), "1000:1000 1001 /srv/app production");
  });

  test("the health check runs and turns healthy", async () => {
    assert.deepEqual(inspect.Config.Healthcheck, {
      Test: ["CMD-SHELL", "test -f /scratch/ready"],
      Interval: 1e9,
      Timeout: 2e9,
      StartPeriod: 1e9,
      Retries: 2,
    });
    let status = "";
    for (let i = 0; i < 40 && status !== "healthy"; i++) {
      status = docker(["inspect", "-f", "{{.State.Health.Status}}", componentName]);
      if (status !== "healthy") await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(status, "healthy");
  });

  test("filesystem: read-only root, tmpfs, named volume of the pod, bind, device", () => {
    assert.equal(inspect.HostConfig.ReadonlyRootfs, true);
    assert.deepEqual(inspect.HostConfig.Tmpfs, { "/tmp": "size=8m" });
    const logs = inspect.Mounts.find((m: any) => m.Destination === "/logs");
    assert.equal(logs.Type, "volume");
    assert.equal(logs.Name, volumeName);
    const scratch = inspect.HostConfig.Mounts.find((m: any) => m.Target === "/scratch");
    assert.deepEqual(scratch.TmpfsOptions, { SizeBytes: 4 * 1024 * 1024, Mode: 0o1777 });
    assert.equal(docker(["exec", componentName, "cat", "/host/conf.txt"]), "from the host");
    assert.match(docker(["exec", componentName, "sh", "-c", "touch /root-file 2>&1 || true"]), /Read-only file system/);
    assert.match(docker(["exec", componentName, "ls", "-l", "/dev/podlike-null"]), /^c/);
  });

  test("security and kernel settings", () => {
    const hc = inspect.HostConfig;
    assert.deepEqual(hc.CapAdd, ["SYS_PTRACE"]);
    assert.deepEqual(hc.CapDrop, ["NET_RAW"]);
    assert.deepEqual(hc.SecurityOpt, ["no-new-privileges:true"]);
    assert.deepEqual(hc.GroupAdd, ["1001"]);
    assert.deepEqual(hc.Sysctls, { "net.ipv4.ip_unprivileged_port_start": "80" });
    assert.equal(hc.Init, true);
    assert.equal(hc.Privileged, false);
    assert.deepEqual(hc.Ulimits, [
      { Name: "nofile", Soft: 1024, Hard: 2048 },
      { Name: "nproc", Soft: 512, Hard: 512 },
    ]);
    // the limits of the component's own process, not of an exec'd one (an exec takes its limits from elsewhere on some engines)
    // (pid 1 is the controller's: the component's process is the sleep of user 1000)
    const limits = `grep "Max open files" /proc/$(ps -o pid,user,args | awk '$2 == 1000 && $3 == "sleep" {print $1}')/limits`;
    assert.match(docker(["exec", componentName, "sh", "-c", limits]), /^Max open files\s+1024\s+2048\s+files/);
    assert.deepEqual(hc.LogConfig, { Type: "json-file", Config: { "max-size": "1m", "max-file": "2" } });
  });

  test("resource limits", () => {
    const hc = inspect.HostConfig;
    assert.equal(hc.Memory, 64 * 1024 * 1024);
    assert.equal(hc.MemoryReservation, 32 * 1024 * 1024);
    assert.equal(hc.NanoCpus, 500_000_000);
    assert.equal(hc.CpuShares, 512);
    assert.equal(hc.PidsLimit, 64);
    assert.equal(hc.OomScoreAdj, 100);
  });
});
