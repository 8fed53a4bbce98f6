/**
 * podlike deploy, ps and rm against the real single-node Swarm: a pod (two
 * busybox components, one with a config) beside a plain service.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, createServer, type Socket } from "node:net";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";
import { CONTROLLER_IMAGE, ensureControllerImage } from "../controller/e2e-support.js";
import { runPodlike } from "../support/run-podlike.js";

const NS = "com.docker.stack.namespace";

const podlike = (args: string[], cwd: string, env: Record<string, string | undefined> = process.env) => runPodlike(args, { cwd, env });

function stackObjects(stack: string) {
  const filter = ["--filter", `label=${NS}=${stack}`];
  const list = (kind: string) => docker([kind, "ls", "-q", ...filter], { allowFail: true }).split("\n").filter(Boolean);
  return { services: list("service"), networks: list("network"), configs: list("config"), secrets: list("secret") };
}

async function removeStackObjects(stack: string) {
  const objects = stackObjects(stack);
  if (objects.services.length) docker(["service", "rm", ...objects.services], { allowFail: true });
  for (let i = 0; i < 60; i++) {
    const left = docker(["ps", "-aq", "--filter", `label=com.docker.swarm.service.name`, "--filter", `name=${stack}_`], { allowFail: true });
    if (!left) break;
    await sleep(500);
  }
  for (const kind of ["config", "secret", "network"] as const) {
    const ids = stackObjects(stack)[`${kind}s`];
    if (ids.length) docker([kind, "rm", ...ids], { allowFail: true });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const version = (service: string) => Number(docker(["service", "inspect", service, "--format", "{{.Version.Index}}"]));

/** GET http://127.0.0.1:port/, retried until it answers or the time is up. */
async function httpGet(port: number, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await new Promise<string>((resolve, reject) => {
        const req = get({ host: "127.0.0.1", port, path: "/", timeout: 2000 }, (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve(body));
        });
        req.on("error", reject);
        req.on("timeout", () => req.destroy(new Error("timeout")));
      });
    } catch (error) {
      last = error;
      await sleep(500);
    }
  }
  throw new Error(`nothing answered on 127.0.0.1:${port}: ${String(last)}`);
}

/** Reads what a TCP server sends on connect (the plain service echoes its greeting). */
async function tcpRead(port: number, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = await new Promise<string>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      let data = "";
      socket.setTimeout(2000, () => socket.destroy());
      socket.on("data", (d) => (data += d));
      socket.on("close", () => resolve(data));
      socket.on("error", () => resolve(""));
    });
    if (text) return text;
    await sleep(500);
  }
  throw new Error(`nothing answered on 127.0.0.1:${port}`);
}

function composeFile(options: { greeting: string; withPlain?: boolean; podPort: number; plainPort: number; controllerImage: string }): string {
  const plain = `
  plain:
    image: ${BUSYBOX}
    init: true
    environment:
      GREETING: ${options.greeting}
    command: ["sh", "-c", "while true; do echo \\"$$GREETING\\" | nc -l -p 7000; done"]
    ports:
      - {target: 7000, published: ${options.plainPort}, mode: host}
`;
  return `
services:
  web:
    image: ${BUSYBOX}
    command: ["sh", "-c", "mkdir -p /www && cp /etc/web/page.txt /www/index.html && exec httpd -f -p 8080 -h /www"]
    configs:
      - source: page
        target: /etc/web/page.txt
    ports:
      - {target: 8080, published: ${options.podPort}, mode: host}
  helper:
    image: ${BUSYBOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
${options.withPlain === false ? "" : plain}
configs:
  page:
    file: ./page.txt

x-pods:
  app:
    components: [web, helper]
    controller:
      image: ${options.controllerImage}
`;
}

describe("podlike deploy, ps and rm on a real Swarm", e2eOptions(), () => {
  const stack = testName("deploy");
  const dir = mkdtempSync(join(tmpdir(), "podliketest-deploy-"));
  const podPort = 21000 + (process.pid % 2000);
  const plainPort = podPort + 2000;
  const write = (greeting: string, page: string, withPlain = true) => {
    writeFileSync(join(dir, "page.txt"), page);
    writeFileSync(join(dir, "compose.yml"), composeFile({ greeting, withPlain, podPort, plainPort, controllerImage: CONTROLLER_IMAGE }));
  };
  const deploy = (...extra: string[]) => podlike(["deploy", "-c", "compose.yml", "--timeout", "120", ...extra, stack], dir);

  before(() => {
    ensureControllerImage();
    write("hello", "page one\n");
  });
  after(async () => {
    await removeStackObjects(stack);
    rmSync(dir, { recursive: true, force: true });
  });

  test("deploys the pod and the plain service and waits until they run", async () => {
    const result = await deploy();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, new RegExp(`Creating network ${stack}_default`));
    assert.match(result.stdout, /converged/);

    const objects = stackObjects(stack);
    assert.equal(objects.services.length, 2);
    const names = docker(["service", "ls", "--filter", `label=${NS}=${stack}`, "--format", "{{.Name}}"]).split("\n").sort();
    assert.deepEqual(names, [`${stack}_app`, `${stack}_plain`]);
    const labels = JSON.parse(docker(["service", "inspect", `${stack}_app`, "--format", "{{json .Spec.Labels}}"]));
    assert.equal(labels[NS], stack);
    assert.equal(labels["com.docker.stack.image"], CONTROLLER_IMAGE);
    const containerLabels = JSON.parse(docker(["service", "inspect", `${stack}_app`, "--format", "{{json .Spec.TaskTemplate.ContainerSpec.Labels}}"]));
    assert.equal(containerLabels[NS], stack);
    assert.ok(containerLabels["pod.component.web"]);
    assert.equal(docker(["network", "inspect", `${stack}_default`, "--format", `{{index .Labels "${NS}"}} {{.Driver}}`]), `${stack} overlay`);
    const configNames = docker(["config", "ls", "--filter", `label=${NS}=${stack}`, "--format", "{{.Name}}"]).split("\n");
    assert.equal(configNames.length, 1);
    assert.match(configNames[0]!, new RegExp(`^${stack}_page-[0-9a-f]{10}$`));
    // docker stack sees it as one of its own
    assert.match(docker(["stack", "ls", "--format", "{{.Name}} {{.Services}}"]), new RegExp(`^${stack} 2$`, "m"));

    assert.equal(await tcpRead(plainPort), "hello\n");
    assert.equal(await httpGet(podPort), "page one\n");
  });

  test("the pod's components run on the node in the controller's network namespace, and ps shows them", async () => {
    const controllerId = docker(["ps", "-q", "--no-trunc", "--filter", `label=com.docker.swarm.service.name=${stack}_app`]);
    assert.ok(controllerId);
    const components = docker(["ps", "--filter", `label=podlike.controller=${controllerId}`, "--format", "{{.ID}}"]).split("\n").filter(Boolean);
    const byName = new Map(
      components.map((id) => [docker(["inspect", id, "--format", '{{index .Config.Labels "podlike.component"}}']), docker(["inspect", id, "--format", "{{.HostConfig.NetworkMode}}"])]),
    );
    for (const name of ["web", "helper"]) assert.equal(byName.get(name), `container:${controllerId}`, `component ${name}`);

    const table = await podlike(["ps", stack], dir);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, new RegExp(`${stack}_app\\s+pod`));
    assert.match(table.stdout, /^\s+web\s+component/m);
    const json = await podlike(["ps", stack, "--format", "json"], dir);
    const services = JSON.parse(json.stdout);
    const app = services.find((s: { name: string }) => s.name === `${stack}_app`);
    assert.equal(app.kind, "pod");
    assert.equal(app.running, 1);
    const listed = app.tasks[0].components.map((c: { name: string }) => c.name);
    for (const name of ["helper", "web"]) assert.ok(listed.includes(name), `component ${name} in ${listed}`);
    assert.ok(!listed.includes("sandbox"), `the pod's sandbox is not a component: ${listed}`);
  });

  test("an unchanged redeploy updates nothing", async () => {
    const before = [version(`${stack}_app`), version(`${stack}_plain`)];
    const result = await deploy("--detach");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /up to date/);
    assert.deepEqual([version(`${stack}_app`), version(`${stack}_plain`)], before);
  });

  test("--dry-run shows the diff and changes nothing", async () => {
    write("bonjour", "page one\n");
    const before = [version(`${stack}_app`), version(`${stack}_plain`)];
    const result = await deploy("--dry-run");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`update\\s+service ${stack}_plain`));
    assert.match(result.stdout, new RegExp(`unchanged service ${stack}_app`));
    assert.match(result.stdout, /^-\s+- GREETING=hello$/m);
    assert.match(result.stdout, /^\+\s+- GREETING=bonjour$/m);
    assert.deepEqual([version(`${stack}_app`), version(`${stack}_plain`)], before);
  });

  test("an environment change updates only that service", async () => {
    const app = version(`${stack}_app`);
    const plain = version(`${stack}_plain`);
    const result = await deploy();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.equal(version(`${stack}_app`), app);
    assert.ok(version(`${stack}_plain`) > plain);
    assert.equal(await tcpRead(plainPort), "bonjour\n");
  });

  test("new config content: a new config, the pod rolls to it, the old config is removed", async () => {
    const oldConfig = docker(["config", "ls", "--filter", `label=${NS}=${stack}`, "--format", "{{.Name}}"]);
    write("bonjour", "page two\n");
    const result = await deploy();
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const configs = docker(["config", "ls", "--filter", `label=${NS}=${stack}`, "--format", "{{.Name}}"]).split("\n");
    assert.equal(configs.length, 1);
    assert.notEqual(configs[0], oldConfig);
    const used = docker(["service", "inspect", `${stack}_app`, "--format", "{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{.ConfigName}}{{end}}"]);
    assert.equal(used, configs[0]);
    assert.equal(await httpGet(podPort), "page two\n");
  });

  test("--prune removes a service no longer declared", async () => {
    write("bonjour", "page two\n", false);
    const kept = await deploy("--detach");
    assert.equal(kept.code, 0, kept.stderr);
    assert.equal(stackObjects(stack).services.length, 2);
    const pruned = await deploy("--detach", "--prune");
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.match(pruned.stdout, new RegExp(`Removing service ${stack}_plain`));
    assert.deepEqual(docker(["service", "ls", "--filter", `label=${NS}=${stack}`, "--format", "{{.Name}}"]).split("\n"), [`${stack}_app`]);
  });

  test("podlike rm leaves no service, network, config or secret of the stack", async () => {
    const result = await podlike(["rm", stack], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(stackObjects(stack), { services: [], networks: [], configs: [], secrets: [] });
    const again = await podlike(["ps", stack], dir);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /nothing found in stack/);
  });
});

describe("a podlike stack is a docker stack", e2eOptions(), () => {
  const stack = testName("stackrm");
  const dir = mkdtempSync(join(tmpdir(), "podliketest-stackrm-"));
  after(async () => {
    await removeStackObjects(stack);
    rmSync(dir, { recursive: true, force: true });
  });

  test("docker stack rm removes a podlike-deployed stack", async () => {
    writeFileSync(join(dir, "secret.txt"), "s3cret-value");
    writeFileSync(
      join(dir, "compose.yml"),
      `services:\n  one:\n    image: ${BUSYBOX}\n    command: sleep 600\n    init: true\n    secrets: [token]\n    networks: [back]\nnetworks:\n  back: {}\nsecrets:\n  token:\n    file: ./secret.txt\n`,
    );
    const result = await podlike(["deploy", "-c", "compose.yml", "--detach", stack], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stdout.includes("s3cret-value") && !result.stderr.includes("s3cret-value"));
    assert.equal(stackObjects(stack).secrets.length, 1);
    assert.match(docker(["stack", "services", stack, "--format", "{{.Name}}"]), new RegExp(`^${stack}_one$`));
    docker(["stack", "rm", stack]);
    const deadline = Date.now() + 60_000;
    let left = stackObjects(stack);
    while (Date.now() < deadline && Object.values(left).some((l) => l.length)) {
      await sleep(500);
      left = stackObjects(stack);
    }
    assert.deepEqual(left, { services: [], networks: [], configs: [], secrets: [] });
  });
});

describe("the same file under docker stack deploy and podlike deploy", e2eOptions(), () => {
  const stack = testName("parity");
  const dir = mkdtempSync(join(tmpdir(), "podliketest-parity-"));
  after(async () => {
    await removeStackObjects(stack);
    rmSync(dir, { recursive: true, force: true });
  });

  test("podlike reads a stack docker stack deploy made as unchanged: both map Compose to the same specs", async () => {
    // Configs and secrets are left out: podlike names them after their content, docker does not.
    writeFileSync(
      join(dir, "stack.yml"),
      `version: "3.9"
services:
  api:
    image: ${BUSYBOX}
    command: ["sh", "-c", "exec sleep 86400"]
    entrypoint: ["/bin/sh", "-c", "exec \\"$$@\\"", "--"]
    environment: {A: "1", B: "two"}
    labels: {team: core}
    user: "0"
    working_dir: /tmp
    hostname: api-host
    init: true
    read_only: true
    stop_signal: SIGTERM
    stop_grace_period: 3s
    healthcheck: {test: ["CMD", "true"], interval: 5s, timeout: 2s, retries: 2, start_period: 1s}
    cap_add: [NET_ADMIN]
    sysctls: {net.core.somaxconn: "1024"}
    ulimits: {nofile: {soft: 1024, hard: 2048}}
    dns: [10.0.0.53]
    extra_hosts: ["db:10.0.0.2"]
    volumes: ["data:/data", {type: tmpfs, target: /cache}]
    networks:
      back: {aliases: [api-alias]}
    ports: [{target: 80, published: 23080, mode: host}]
    logging: {driver: json-file, options: {max-size: 1m}}
    deploy:
      replicas: 0
      labels: {tier: api}
      placement: {constraints: [node.role == manager], preferences: [{spread: node.id}], max_replicas_per_node: 1}
      resources: {limits: {cpus: "0.5", memory: 64M}, reservations: {memory: 16M}}
      restart_policy: {condition: on-failure, delay: 2s, max_attempts: 3, window: 10s}
      update_config: {parallelism: 2, delay: 1s, order: start-first}
      rollback_config: {parallelism: 1}
      endpoint_mode: dnsrr
  plain:
    image: ${BUSYBOX}
    command: sleep 86400
    deploy: {replicas: 0}
networks:
  back: {driver: overlay, attachable: true, labels: {x: "ex"}}
volumes:
  data: {}
`,
    );
    docker(["stack", "deploy", "--resolve-image", "never", "-c", join(dir, "stack.yml"), stack]);
    const plan = await podlike(["deploy", "--dry-run", "-c", "stack.yml", stack], dir);
    assert.equal(plan.code, 0, plan.stderr);
    const steps = plan.stdout.split("\n").filter((l) => /^  \S/.test(l));
    assert.equal(steps.length, 4, plan.stdout);
    for (const step of steps) assert.match(step, /^  unchanged /, plan.stdout);
  });
});

describe("deploy reports what goes wrong", e2eOptions(), () => {
  const stack = testName("fail");
  const dir = mkdtempSync(join(tmpdir(), "podliketest-fail-"));
  after(async () => {
    await removeStackObjects(stack);
    rmSync(dir, { recursive: true, force: true });
  });

  test("a task that fails ends the wait with its error and exit 1", async () => {
    writeFileSync(
      join(dir, "compose.yml"),
      `services:\n  broken:\n    image: ${BUSYBOX}\n    command: ["sh", "-c", "exit 3"]\n    deploy:\n      restart_policy: {condition: none}\n`,
    );
    const result = await podlike(["deploy", "-c", "compose.yml", "--timeout", "60", stack], dir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`service ${stack}_broken did not start: .*exit`));
    assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/);
  });

  test("an external network that does not exist is an error at its line, and nothing is created", async () => {
    writeFileSync(
      join(dir, "compose.yml"),
      `services:\n  one:\n    image: ${BUSYBOX}\n    networks: [outside]\nnetworks:\n  outside:\n    external: true\n    name: podliketest-no-such-network\n`,
    );
    const other = testName("ext");
    const result = await podlike(["deploy", "-c", "compose.yml", other], dir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /compose\.yml:6:\d+: error: external network "podliketest-no-such-network" does not exist/);
    assert.deepEqual(stackObjects(other), { services: [], networks: [], configs: [], secrets: [] });
  });

  test("DOCKER_HOST=tcp://... is honoured", async (t) => {
    // The engine listens on its unix socket only: a local TCP relay stands in for a remote engine.
    const open = new Set<Socket>();
    const relay = createServer((client) => {
      const engine = connect("/var/run/docker.sock");
      open.add(client).add(engine);
      client.pipe(engine).pipe(client);
      client.on("error", () => engine.destroy());
      engine.on("error", () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
    t.after(() => {
      for (const socket of open) socket.destroy();
      relay.close();
    });
    const port = (relay.address() as { port: number }).port;
    writeFileSync(join(dir, "compose.yml"), `services:\n  one:\n    image: ${BUSYBOX}\n`);
    const result = await podlike(["deploy", "--dry-run", "-c", "compose.yml", stack], dir, { ...process.env, DOCKER_HOST: `tcp://127.0.0.1:${port}` });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`create\\s+service ${stack}_one`));
  });

  test("an unreachable engine is a clear error without a stack trace", async () => {
    const result = await podlike(["ps", stack], dir, { ...process.env, DOCKER_HOST: "tcp://127.0.0.1:1" });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cannot reach the Docker engine at tcp:\/\/127\.0\.0\.1:1/);
    assert.match(result.stderr, /fix: /);
    assert.doesNotMatch(result.stderr, /internal error|    at /);
  });
});
