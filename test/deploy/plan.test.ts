import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildDesiredStack } from "../../src/deploy/desired.js";
import { planStack } from "../../src/deploy/plan.js";
import { retirableNow } from "../../src/deploy/apply.js";
import type { ComposeStack, LiveStack } from "../../src/deploy/types.js";

/** The stack behind fixtures/live-web-spec.json: that file is what a 20.10 engine stored for it. */
function probeStack(): ComposeStack {
  return {
    services: {
      web: {
        image: "podlike-test/busybox:latest", command: "sleep 1000", environment: { A: "1" }, labels: ["x=y"],
        user: "root", working_dir: "/tmp", hostname: "h",
        healthcheck: { test: "true", interval: "5s", timeout: "2s", retries: 3, start_period: "1s" },
        stop_signal: "SIGINT", stop_grace_period: "3s", init: true, read_only: true, tty: true, stdin_open: true,
        cap_add: ["NET_ADMIN"], cap_drop: ["MKNOD"], sysctls: { "net.core.somaxconn": "1024" },
        ulimits: { nofile: { soft: 1000, hard: 2000 } }, dns: ["8.8.8.8"], extra_hosts: ["foo:1.2.3.4"],
        volumes: ["data:/data", "/tmp:/hosttmp:ro", { type: "tmpfs", target: "/t", tmpfs: { size: "1m" } }], tmpfs: ["/run2"],
        ports: [{ target: 80, published: 18080, mode: "host" }, "18081:81"],
        networks: { front: { aliases: ["w"] } },
        deploy: {
          replicas: 0, labels: { svc: "1" },
          placement: { constraints: ["node.role==manager"], preferences: [{ spread: "node.id" }], max_replicas_per_node: 2 },
          resources: { limits: { cpus: "0.5", memory: "64m", pids: 100 }, reservations: { cpus: "0.1", memory: "8m" } },
          restart_policy: { condition: "on-failure", delay: "1s", max_attempts: 3, window: "10s" },
          update_config: { parallelism: 2, delay: "1s", failure_action: "rollback", monitor: "2s", max_failure_ratio: 0.5, order: "start-first" },
          rollback_config: { parallelism: 1 }, endpoint_mode: "vip",
        },
        logging: { driver: "json-file", options: { "max-size": "1m" } },
        configs: ["c1"],
      },
    },
    networks: { front: {} },
    volumes: { data: {} },
    configs: { c1: { content: "hello" } },
  };
}

const NS = { "com.docker.stack.namespace": "podliketest-probe" };
const liveWebSpec = JSON.parse(readFileSync(new URL("fixtures/live-web-spec.json", import.meta.url), "utf8"));

function live(overrides: Partial<LiveStack> = {}): LiveStack {
  return {
    services: [{ id: "svc1", name: "podliketest-probe_web", version: 42, spec: structuredClone(liveWebSpec) }],
    networks: [{ id: "53mcrf14dqvwyalwbkjl52vqn", name: "podliketest-probe_front", labels: NS }],
    configs: [{ id: "pq1dnqbaygatoxqjx9750yvyv", name: "podliketest-probe_c1-2cf24dba5f", labels: NS }],
    secrets: [],
    ...overrides,
  };
}

function desired(mutate: (stack: ComposeStack) => void = () => {}) {
  const stack = probeStack();
  mutate(stack);
  const built = buildDesiredStack(stack, "podliketest-probe", { baseDir: "/", variables: {} });
  assert.deepEqual(built.diagnostics, []);
  return built.value;
}

describe("planning a deploy against the live stack", () => {
  test("the spec the engine stored reads as unchanged: nothing to do", () => {
    const plan = planStack(desired(), live(), { prune: false });
    assert.deepEqual(
      plan.steps.map((s) => [s.action, s.kind, s.name]),
      [
        ["unchanged", "network", "podliketest-probe_front"],
        ["unchanged", "config", "podliketest-probe_c1-2cf24dba5f"],
        ["unchanged", "service", "podliketest-probe_web"],
      ],
    );
    assert.equal(plan.servicesToUpdate.length, 0);
  });

  test("a changed environment value updates the service, with a diff of just that", () => {
    const plan = planStack(desired((s) => (s.services.web!.environment = { A: "2" })), live(), { prune: false });
    assert.equal(plan.servicesToUpdate.length, 1);
    assert.equal(plan.servicesToUpdate[0]!.live!.version, 42);
    const diff = plan.steps.find((s) => s.action === "update")!.diff!;
    assert.match(diff, /^-\s+- A=1$/m);
    assert.match(diff, /^\+\s+- A=2$/m);
    assert.equal(diff.split("\n").filter((l) => /^[+-][^+-]/.test(l)).length, 2);
  });

  test("new config content: a new config, the service rolls to it, the old one retires", () => {
    const plan = planStack(desired((s) => (s.configs!.c1 = { content: "bye" })), live(), { prune: false });
    assert.equal(plan.objectsToCreate.length, 1);
    assert.match(plan.objectsToCreate[0]!.name, /^podliketest-probe_c1-[0-9a-f]{10}$/);
    assert.notEqual(plan.objectsToCreate[0]!.name, "podliketest-probe_c1-2cf24dba5f");
    assert.deepEqual(plan.objectsToRetire, [{ kind: "config", id: "pq1dnqbaygatoxqjx9750yvyv", name: "podliketest-probe_c1-2cf24dba5f" }]);
    assert.equal(plan.servicesToUpdate.length, 1);
  });

  test("an old config stays while an update could roll back to it", () => {
    const plan = planStack(desired((s) => (s.configs!.c1 = { content: "bye" })), live(), { prune: false });
    const old = plan.objectsToRetire;
    // just updated (no --detach wait): the service's previous spec names the old config
    assert.deepEqual(retirableNow(old, live(), new Set(["svc1"])), []);
    // an update the engine reports under way: its PreviousSpec counts
    const updating = live();
    updating.services[0] = { ...updating.services[0]!, spec: { Name: "x" }, previousSpec: structuredClone(liveWebSpec), updating: true };
    assert.deepEqual(retirableNow(old, updating, new Set()), []);
    // settled: nothing holds it
    assert.deepEqual(retirableNow(old, live(), new Set()), old);
  });

  test("services no longer declared: kept and noted, removed with prune", () => {
    const extra = { id: "svc2", name: "podliketest-probe_old", version: 3, spec: { Name: "podliketest-probe_old" } };
    const kept = planStack(desired(), live({ services: [...live().services, extra] }), { prune: false });
    assert.deepEqual(kept.servicesToRemove, []);
    assert.match(kept.steps.find((s) => s.name === "podliketest-probe_old")!.note!, /--prune/);
    const pruned = planStack(desired(), live({ services: [...live().services, extra] }), { prune: true });
    assert.deepEqual(pruned.servicesToRemove.map((s) => s.name), ["podliketest-probe_old"]);
  });

  test("a new stack: every used network, config and service is created; unused networks are not", () => {
    const plan = planStack(desired((s) => (s.networks!.unused = {})), { services: [], networks: [], configs: [], secrets: [] }, { prune: false });
    assert.deepEqual(
      plan.steps.map((s) => [s.action, s.kind]),
      [["create", "network"], ["create", "config"], ["create", "service"]],
    );
    assert.equal(plan.networksToCreate[0]!.create!.Driver, "overlay");
    assert.deepEqual(plan.networksToCreate[0]!.create!.Labels, NS);
  });

  test("a missing external network is reported; another stack's network is foreign", () => {
    const external = planStack(desired((s) => (s.networks!.front = { external: true, name: "corp" })), live(), { prune: false });
    assert.deepEqual(external.missing, [{ kind: "network", name: "corp", key: "front" }]);
    const foreign = planStack(desired(), live({ networks: [{ id: "n1", name: "podliketest-probe_front", labels: { "com.docker.stack.namespace": "other" } }] }), { prune: false });
    assert.deepEqual(foreign.foreign, [{ name: "podliketest-probe_front", owner: "other" }]);
  });

  test("a config with a fixed name: whose content changed cannot be replaced in place", () => {
    const stack = probeStack();
    stack.configs = { c1: { content: "new", name: "fixed-conf" } };
    const built = buildDesiredStack(stack, "podliketest-probe", { baseDir: "/", variables: {} });
    const configs = [{ id: "c9", name: "fixed-conf", labels: { ...NS, "podlike.content-hash": "0123456789" } }];
    assert.deepEqual(planStack(built.value, live({ configs }), { prune: false }).changedInPlace, [{ kind: "config", name: "fixed-conf", key: "c1" }]);
    const same = [{ id: "c9", name: "fixed-conf", labels: { ...NS, "podlike.content-hash": built.value.configs[0]!.hash! } }];
    assert.deepEqual(planStack(built.value, live({ configs: same }), { prune: false }).changedInPlace, []);
  });

  test("secret values never appear in the plan", () => {
    const stack = probeStack();
    stack.secrets = { token: { environment: "TOKEN" } };
    stack.services.web!.secrets = ["token"];
    const built = buildDesiredStack(stack, "podliketest-probe", { baseDir: "/", variables: { TOKEN: "hunter2-value" } });
    const plan = planStack(built.value, live(), { prune: true });
    const printable = JSON.stringify(plan.steps);
    assert.ok(!printable.includes("hunter2-value"));
    assert.ok(plan.steps.some((s) => s.kind === "secret" && s.action === "create"));
  });
});
