import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildDesiredStack } from "../../src/deploy/desired.js";
import { DEPLOY_KEYS, SERVICE_KEYS } from "../../src/deploy/service-keys.js";
import type { ComposeStack } from "../../src/deploy/types.js";
import { folderWith, specOf } from "./support.js";
import { loadProject } from "../../src/compose/load.js";
import { stackFromModel } from "../../src/deploy/stack-input.js";

const schema = JSON.parse(readFileSync(new URL("../../schemas/compose.schema.json", import.meta.url), "utf8"));

function build(service: Record<string, unknown>, rest: Partial<ComposeStack> = {}, baseDir = "/nonexistent") {
  const stack: ComposeStack = { services: { app: { image: "busybox", ...service } }, ...rest };
  // an engine that has every setting deploy maps (OomScoreAdj: API 1.46)
  const built = buildDesiredStack(stack, "st", { baseDir, variables: {}, apiVersion: "1.46" });
  return { spec: built.value.services[0]!.spec, diagnostics: built.diagnostics };
}

describe("the table of service keys", () => {
  test("names every key of the Compose schema's service, and no other", () => {
    assert.deepEqual(Object.keys(SERVICE_KEYS).sort(), Object.keys(schema.definitions.service.properties).sort());
    assert.deepEqual(Object.keys(DEPLOY_KEYS).sort(), Object.keys(schema.definitions.deploy.properties).sort());
  });

  const dir = folderWith({ "a.env": "FROM_FILE=1\n", "c.txt": "config", "s.txt": "secret" });
  const objects: Partial<ComposeStack> = {
    configs: { c: { file: `${dir}/c.txt` } },
    secrets: { s: { file: `${dir}/s.txt` } },
    networks: { n: {} },
  };
  const samples: Record<string, unknown> = {
    cap_add: ["NET_ADMIN"], cap_drop: ["MKNOD"], command: "echo hi", configs: ["c"], credential_spec: { file: "spec.json" },
    deploy: { replicas: 3 }, dns: ["8.8.8.8"], dns_opt: ["ndots:1"], dns_search: ["example.org"], entrypoint: ["/bin/sh"],
    env_file: [`${dir}/a.env`], environment: { A: "1" }, extra_hosts: ["h:1.2.3.4"], group_add: ["wheel"],
    healthcheck: { test: "true" }, hostname: "h", image: "other:1", init: true, isolation: "process", labels: { a: "b" },
    logging: { driver: "syslog" }, networks: ["n"], oom_score_adj: -100, pids_limit: 10, ports: ["80"], read_only: true, restart: "no", scale: 2,
    secrets: ["s"], stdin_open: true, stop_grace_period: "3s", stop_signal: "SIGINT", sysctls: { "net.core.somaxconn": 1 },
    tmpfs: ["/run"], tty: true, ulimits: { nofile: 10 }, user: "1000", volumes: ["/tmp:/tmp"], working_dir: "/w",
  };
  const base = build({}, objects).spec;

  for (const [key, treatment] of Object.entries(SERVICE_KEYS)) {
    if (treatment.kind === "mapped") {
      test(`${key} changes the ServiceSpec`, () => {
        assert.ok(key in samples, `no sample value for ${key}`);
        const { spec, diagnostics } = build({ [key]: samples[key] }, objects);
        assert.deepEqual(diagnostics.filter((d) => d.severity === "error"), []);
        assert.notDeepEqual(spec, base);
      });
    } else {
      test(`${key} is ignored with a warning that says why`, () => {
        const { spec, diagnostics } = build({ [key]: "x" }, objects);
        assert.deepEqual(spec, base);
        const warning = diagnostics.find((d) => d.code === "UNSUPPORTED_KEY" && d.message.includes(key));
        assert.ok(warning, `no warning for ${key}`);
        assert.ok(warning.message.includes(treatment.reason));
      });
    }
  }
});

describe("a Compose service as a Swarm ServiceSpec", () => {
  test("names and labels are those docker stack deploy gives", async () => {
    const { spec } = await specOf("image: busybox:1\nlabels: [pod.x=1]\ndeploy: {labels: {tier: web}}");
    assert.equal(spec.Name, "st_app");
    assert.deepEqual(spec.Labels, { "com.docker.stack.image": "busybox:1", "com.docker.stack.namespace": "st", tier: "web" });
    assert.deepEqual(spec.TaskTemplate.ContainerSpec.Labels, { "com.docker.stack.namespace": "st", "pod.x": "1" });
  });

  test("a service naming no network joins <stack>_default under its own name", async () => {
    const { spec } = await specOf("image: busybox");
    assert.deepEqual(spec.TaskTemplate.Networks, [{ Target: "st_default", Aliases: ["app"] }]);
  });

  test("networks keep their aliases, external networks their own name", async () => {
    const { spec } = await specOf(
      "image: busybox\nnetworks:\n  front: {aliases: [web]}\n  outside:",
      "networks:\n  front: {}\n  outside: {external: true, name: shared}\n",
    );
    assert.deepEqual(spec.TaskTemplate.Networks, [
      { Target: "shared", Aliases: ["app"] },
      { Target: "st_front", Aliases: ["web", "app"] },
    ]);
  });

  test("command and entrypoint: Compose's command is Swarm's Args, entrypoint its Command", async () => {
    const { spec } = await specOf(`image: busybox\nentrypoint: /bin/sh -c\ncommand: "echo 'a b'"`);
    assert.deepEqual(spec.TaskTemplate.ContainerSpec.Command, ["/bin/sh", "-c"]);
    assert.deepEqual(spec.TaskTemplate.ContainerSpec.Args, ["echo", "a b"]);
  });

  test("environment: env_file first, environment over it, sorted, bare names from the variables", async () => {
    const yaml = "services:\n  app:\n    image: busybox\n    env_file: [app.env]\n    environment: [B=2, A=from-env, FROM_SHELL, NOT_SET]\n";
    const dir = folderWith({ "compose.yaml": yaml, "app.env": "A=from-file\nC=3\n" });
    const { loadProject } = await import("../../src/compose/load.js");
    const { stackFromModel } = await import("../../src/deploy/stack-input.js");
    const loaded = await loadProject({ files: ["compose.yaml"], cwd: dir, env: { FROM_SHELL: "x" } });
    const built = buildDesiredStack((await stackFromModel(loaded.value!)).value!, "st", { baseDir: dir, variables: loaded.value!.variables });
    assert.deepEqual(built.value.services[0]!.spec.TaskTemplate.ContainerSpec.Env, ["A=from-env", "B=2", "C=3", "FROM_SHELL=x"]);
  });

  test("ports in short and long syntax, published in ingress or host mode", async () => {
    const { spec } = await specOf('image: busybox\nports: ["8080:80", "53:53/udp", "9000", {target: 443, published: 8443, mode: host}]');
    assert.deepEqual(spec.EndpointSpec.Ports, [
      { Protocol: "tcp", TargetPort: 80, PublishedPort: 8080, PublishMode: "ingress" },
      { Protocol: "udp", TargetPort: 53, PublishedPort: 53, PublishMode: "ingress" },
      { Protocol: "tcp", TargetPort: 9000, PublishMode: "ingress" },
      { Protocol: "tcp", TargetPort: 443, PublishedPort: 8443, PublishMode: "host" },
    ]);
  });

  test("volumes: named volumes scoped and labelled, external ones as named, binds and tmpfs as written", async () => {
    const { spec } = await specOf(
      'image: busybox\nvolumes: ["data:/data:ro", "shared:/shared", "/srv:/srv", {type: tmpfs, target: /cache, tmpfs: {size: 1m}}]\ntmpfs: ["/run:size=64k"]',
      "volumes:\n  data: {driver: local, driver_opts: {type: none}}\n  shared: {external: true}\n",
    );
    assert.deepEqual(spec.TaskTemplate.ContainerSpec.Mounts, [
      {
        Type: "volume", Target: "/data", ReadOnly: true, Source: "st_data",
        VolumeOptions: { Labels: { "com.docker.stack.namespace": "st" }, DriverConfig: { Name: "local", Options: { type: "none" } } },
      },
      { Type: "volume", Target: "/shared", Source: "shared" },
      { Type: "bind", Target: "/srv", Source: "/srv" },
      { Type: "tmpfs", Target: "/cache", TmpfsOptions: { SizeBytes: 1048576 } },
      { Type: "tmpfs", Target: "/run", TmpfsOptions: { SizeBytes: 65536 } },
    ]);
  });

  test("an external volume declared the legacy way (external: {name: x}) mounts by that name, as networks, configs and secrets do", async () => {
    const { spec } = await specOf('image: busybox\nvolumes: ["data:/data"]', "volumes:\n  data:\n    external: {name: realdata}\n");
    assert.deepEqual(spec.TaskTemplate.ContainerSpec.Mounts, [{ Type: "volume", Target: "/data", Source: "realdata" }]);
  });

  test("configs and secrets: content-hashed names, target, uid, gid and mode (defaults as docker stack deploy)", async () => {
    const { spec } = await specOf(
      "image: busybox\nconfigs: [{source: conf, target: /etc/app.conf, uid: '10', gid: '20', mode: 0400}]\nsecrets: [key]",
      "configs:\n  conf: {file: ./app.conf}\nsecrets:\n  key: {file: ./key.txt}\n",
      { "app.conf": "a=1\n", "key.txt": "s3cret" },
    );
    const container = spec.TaskTemplate.ContainerSpec;
    assert.match(container.Configs[0].ConfigName, /^st_conf-[0-9a-f]{10}$/);
    assert.deepEqual(container.Configs[0].File, { Name: "/etc/app.conf", UID: "10", GID: "20", Mode: 0o400 });
    assert.match(container.Secrets[0].SecretName, /^st_key-[0-9a-f]{10}$/);
    assert.deepEqual(container.Secrets[0].File, { Name: "key", UID: "0", GID: "0", Mode: 0o444 });
    assert.ok(!JSON.stringify(spec).includes("s3cret"));
  });

  test("healthcheck, stop settings, init and the other container settings", async () => {
    const { spec } = await specOf(
      [
        "image: busybox",
        "healthcheck: {test: [CMD, 'true'], interval: 1m30s, timeout: 500ms, retries: 2, start_period: 10s}",
        "stop_signal: SIGINT",
        "stop_grace_period: 1m",
        "init: true",
        "read_only: true",
        "tty: true",
        "stdin_open: true",
        "user: '1000:1000'",
        "working_dir: /w",
        "hostname: box",
        "cap_add: [sys_ptrace, NET_ADMIN, CAP_NET_ADMIN]",
        "cap_drop: [ALL]",
        "sysctls: [net.core.somaxconn=1024]",
        "ulimits: {nproc: 100, nofile: {soft: 10, hard: 20}}",
        "dns: 1.1.1.1",
        "dns_search: [example.org]",
        "dns_opt: [ndots:2]",
        "extra_hosts: ['db:10.0.0.2', 'cache=10.0.0.3']",
      ].join("\n"),
    );
    const c = spec.TaskTemplate.ContainerSpec;
    assert.deepEqual(c.Healthcheck, { Test: ["CMD", "true"], Interval: 90e9, Timeout: 500e6, Retries: 2, StartPeriod: 10e9 });
    assert.equal(c.StopSignal, "SIGINT");
    assert.equal(c.StopGracePeriod, 60e9);
    assert.equal(c.Init, true);
    assert.equal(c.ReadOnly, true);
    assert.equal(c.TTY, true);
    assert.equal(c.OpenStdin, true);
    assert.equal(c.User, "1000:1000");
    assert.equal(c.Dir, "/w");
    assert.equal(c.Hostname, "box");
    assert.deepEqual(c.CapabilityAdd, ["CAP_NET_ADMIN", "CAP_SYS_PTRACE"]);
    assert.deepEqual(c.CapabilityDrop, ["ALL"]);
    assert.deepEqual(c.Sysctls, { "net.core.somaxconn": "1024" });
    assert.deepEqual(c.Ulimits, [{ Name: "nofile", Soft: 10, Hard: 20 }, { Name: "nproc", Soft: 100, Hard: 100 }]);
    assert.deepEqual(c.DNSConfig, { Nameservers: ["1.1.1.1"], Search: ["example.org"], Options: ["ndots:2"] });
    assert.deepEqual(c.Hosts, ["10.0.0.2 db", "10.0.0.3 cache"]);
  });

  test("healthcheck disable: true turns the image's check off", async () => {
    const { spec } = await specOf("image: busybox\nhealthcheck: {disable: true}");
    assert.deepEqual(spec.TaskTemplate.ContainerSpec.Healthcheck, { Test: ["NONE"] });
  });

  test("deploy: mode, placement, resources, restart, update and rollback, endpoint mode", async () => {
    const { spec } = await specOf(
      [
        "image: busybox",
        "deploy:",
        "  replicas: 3",
        "  endpoint_mode: dnsrr",
        "  placement: {constraints: [node.role==manager], preferences: [{spread: node.labels.zone}], max_replicas_per_node: 2}",
        "  resources:",
        "    limits: {cpus: '0.5', memory: 64M, pids: 50}",
        "    reservations: {cpus: '0.25', memory: 32M, generic_resources: [{discrete_resource_spec: {kind: gpu, value: 1}}]}",
        "  restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 2m}",
        "  update_config: {parallelism: 2, delay: 10s, failure_action: rollback, monitor: 30s, max_failure_ratio: 0.3, order: start-first}",
        "  rollback_config: {parallelism: 0, order: stop-first}",
      ].join("\n"),
    );
    assert.deepEqual(spec.Mode, { Replicated: { Replicas: 3 } });
    assert.deepEqual(spec.EndpointSpec, { Mode: "dnsrr" });
    assert.deepEqual(spec.TaskTemplate.Placement, {
      Constraints: ["node.role==manager"],
      Preferences: [{ Spread: { SpreadDescriptor: "node.labels.zone" } }],
      MaxReplicas: 2,
    });
    assert.deepEqual(spec.TaskTemplate.Resources, {
      Limits: { NanoCPUs: 5e8, MemoryBytes: 64 * 1024 ** 2, Pids: 50 },
      Reservations: { NanoCPUs: 2.5e8, MemoryBytes: 32 * 1024 ** 2, GenericResources: [{ DiscreteResourceSpec: { Kind: "gpu", Value: 1 } }] },
    });
    assert.deepEqual(spec.TaskTemplate.RestartPolicy, { Condition: "on-failure", Delay: 5e9, MaxAttempts: 3, Window: 120e9 });
    assert.deepEqual(spec.UpdateConfig, { Parallelism: 2, Delay: 10e9, FailureAction: "rollback", Monitor: 30e9, MaxFailureRatio: 0.3, Order: "start-first" });
    assert.deepEqual(spec.RollbackConfig, { Parallelism: 0, Order: "stop-first" });
  });

  test("global mode and jobs", async () => {
    assert.deepEqual((await specOf("image: busybox\ndeploy: {mode: global}")).spec.Mode, { Global: {} });
    assert.deepEqual((await specOf("image: busybox\ndeploy: {mode: replicated-job, replicas: 2}")).spec.Mode, {
      ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 2 },
    });
  });

  test("restart: stands in for deploy.restart_policy", async () => {
    assert.deepEqual((await specOf("image: busybox\nrestart: on-failure:4")).spec.TaskTemplate.RestartPolicy, { Condition: "on-failure", MaxAttempts: 4 });
    assert.deepEqual((await specOf("image: busybox\nrestart: unless-stopped")).spec.TaskTemplate.RestartPolicy, { Condition: "any" });
  });

  test("logging", async () => {
    const { spec } = await specOf("image: busybox\nlogging: {driver: json-file, options: {max-size: 1m}}");
    assert.deepEqual(spec.TaskTemplate.LogDriver, { Name: "json-file", Options: { "max-size": "1m" } });
  });
});

describe("references the stack cannot resolve", () => {
  test("an undeclared network, volume, config or secret stops the deploy before the engine, each at its line", async () => {
    const dir = folderWith({ "compose.yaml": "services:\n  app:\n    image: busybox\n    networks: [nope]\n    volumes: [gone:/x]\n    configs: [c]\n    secrets: [s]\n" });
    const loaded = await loadProject({ files: ["compose.yaml"], cwd: dir, env: {} });
    const input = await stackFromModel(loaded.value!);
    assert.equal(input.value, undefined);
    const errors = input.diagnostics.filter((d) => d.severity === "error");
    assert.deepEqual(errors.map((d) => [d.code, d.at?.line]), [["UNDEFINED_OBJECT", 4], ["UNDEFINED_OBJECT", 5], ["UNDEFINED_OBJECT", 6], ["UNDEFINED_OBJECT", 7]]);
    for (const e of errors) {
      assert.ok(e.at?.file.endsWith("compose.yaml"), JSON.stringify(e));
      assert.match(e.hint!, /declare it under the top-level/);
      assert.match(e.message, /service "app" refers to undefined (network|volume|config|secret)/);
    }
  });

  test("a config whose file is missing names the file and its line", async () => {
    const { diagnostics } = await specOf("image: busybox\nconfigs: [c]", "configs:\n  c: {file: ./missing.conf}\n");
    const error = diagnostics.find((d) => d.code === "OBJECT_FILE")!;
    assert.ok(error);
    assert.match(error.message, /missing\.conf/);
    assert.equal(error.at?.line, 6);
  });

  test("a service without image is an error", async () => {
    const { diagnostics } = build({ image: undefined, build: "." });
    assert.ok(diagnostics.some((d) => d.code === "BUILD_WITHOUT_IMAGE" && d.severity === "error"));
  });
});
