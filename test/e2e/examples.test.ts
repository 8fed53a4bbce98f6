/**
 * The runnable examples under fixtures/examples/, each deployed once with
 * podlike deploy on the single-node Swarm (local images only), checked for
 * what a user of that example would look for.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { e2eOptions, testName } from "../support/engine.js";
import { CONTROLLER_IMAGE, ensureControllerImage, exec, inspect } from "../controller/e2e-support.js";
import { eventually, httpGet, podlike, removeStack, runningPod, serviceLogs, taskContainers } from "./examples-support.js";

const EXAMPLES = ["sidecar", "caching-proxy", "log-collector", "init-and-health", "reloader", "health-aggregation", "service-mesh", "design-pod"] as const;
type Example = (typeof EXAMPLES)[number];

/** A probe for eventually(): the port's reply once it is a 200. */
const answered = (port: number, path = "/") => async () => {
  const reply = await httpGet(port, path);
  return reply.status === 200 ? reply : undefined;
};

const fileOf = (example: Example) => fileURLToPath(new URL(`../../fixtures/examples/${example}/compose.yml`, import.meta.url));

describe("the examples, deployed", e2eOptions(), () => {
  const id = testName("ex");
  const stackOf = (example: Example) => `${id}-${example}`;

  before(async () => {
    ensureControllerImage();
    for (const example of EXAMPLES) {
      const r = await podlike(["deploy", "--detach", "--controller-image", CONTROLLER_IMAGE, "-c", fileOf(example), stackOf(example)]);
      assert.equal(r.code, 0, `${example}: ${r.stderr}`);
    }
  });
  after(async () => {
    await Promise.all(EXAMPLES.map((example) => removeStack(stackOf(example))));
  });

  test("sidecar (the README's first example): port 8443 serves the legacy app's page through the cache, and the collector reads its access log", async () => {
    const page = await eventually("the legacy page on 8443", async () => {
      const reply = await httpGet(8443, "/");
      return /hello from the legacy app/.test(reply.body) ? reply : undefined;
    }, 120_000);
    assert.equal(page.status, 200);
    const logs = await eventually("the access log through the collector", async () => {
      const r = await podlike(["logs", stackOf("sidecar"), "my-app", "-c", "log-collector"]);
      return /served/.test(r.stdout) ? r.stdout : undefined;
    }, 60_000);
    assert.match(logs, /^log-collector \| .* served$/m);
  });

  test("caching-proxy: the published port answers through the proxy; the second request comes from the cache and never reaches the app", async () => {
    const first = await eventually("the proxy on 18080", answered(18080), 90_000);
    assert.equal(first.headers["x-cache"], "MISS");
    assert.match(first.body, /legacy app: request number 1/);
    const second = await httpGet(18080, "/");
    assert.equal(second.headers["x-cache"], "HIT");
    assert.match(second.body, /legacy app: request number 1/);
  });

  test("log-collector: lines the app writes to its log file reach the log-store service", async () => {
    const stack = stackOf("log-collector");
    const logs = await eventually("order 3 in the log store", async () => {
      const text = serviceLogs(`${stack}_log-store`);
      return /order 3 accepted/.test(text) ? text : undefined;
    }, 90_000);
    assert.match(logs, /order 1 accepted/);
  });

  test("init-and-health: the migration runs first, and the app starts only once the database is healthy", async () => {
    const stack = stackOf("init-and-health");
    const pod = await runningPod(`${stack}_store`, ["db", "app"]);
    const logs = await eventually("the app's first line", async () => {
      const r = await podlike(["logs", stack, "store"]);
      return /app \| app: the database answered/.test(r.stdout) ? r.stdout : undefined;
    }, 60_000);
    assert.match(logs, /app \| app: the database answered schema v2 on the first try/);
    assert.ok(logs.indexOf("db | db: ready") < logs.indexOf("app | app:"), logs);
    assert.equal(exec(pod.components.db!, "cat /data/schema"), "schema v2");
    assert.equal(inspect(pod.components.db!, "{{.State.Health.Status}}"), "healthy");
  });

  test("reloader: after new configuration and a SIGHUP through the shared PID namespace, the same app process serves the new greeting", async () => {
    const stack = stackOf("reloader");
    const first = await eventually("the app on 18090", () => httpGet(18090, "/"), 90_000);
    assert.match(first.body, /hello from the first configuration/);
    const pod = await runningPod(`${stack}_greeting`, ["app", "reloader"]);
    const started = inspect(pod.components.app!, "{{.State.StartedAt}}");
    const reload = await eventually("the reloader on 18091", () => httpGet(18091, "/hello%20again"), 30_000);
    assert.match(reload.body, /sent SIGHUP to \d+/);
    const after = await eventually("the new greeting", async () => {
      const r = await httpGet(18090, "/");
      return /hello again/.test(r.body) ? r : undefined;
    }, 30_000);
    assert.equal(after.status, 200);
    assert.equal(inspect(pod.components.app!, "{{.State.StartedAt}}"), started, "the app was not restarted");
  });

  test("health-aggregation: one component turning unhealthy makes the pod unhealthy, and Swarm replaces the task", async () => {
    const service = `${stackOf("health-aggregation")}_checked`;
    const pod = await runningPod(service, ["web", "worker"]);
    await eventually("a healthy pod", async () => inspect(pod.controller, "{{.State.Health.Status}}") === "healthy", 90_000);
    exec(pod.components.worker!, "touch /tmp/broken");
    const replacement = await eventually("a new task", async () => taskContainers(service).find((c) => c !== pod.controller), 150_000, 2000);
    assert.notEqual(replacement, pod.controller);
    // the replaced task's controller went down reporting the pod unhealthy
    assert.equal(inspect(pod.controller, "{{.State.Health.Status}}"), "unhealthy");
    const fresh = await runningPod(service, ["web", "worker"]);
    assert.equal(fresh.controller, replacement);
  });

  test("service-mesh: another pod reaches the app through the mesh sidecar's network alias", async () => {
    const stack = stackOf("service-mesh");
    const logs = await eventually("an answer through the mesh", async () => {
      const r = await podlike(["logs", stack, "storefront", "-c", "shop"]);
      return /via mesh: api: 42 items in stock/.test(r.stdout) ? r.stdout : undefined;
    }, 90_000);
    assert.match(logs, /^shop \| shop: via mesh: api: 42 items in stock$/m);
  });

  test("design-pod: cache, composite health, registration, log collection, and the config and secret copied in", async () => {
    const stack = stackOf("design-pod");
    const first = await eventually("the cache on 18443", answered(18443), 120_000);
    assert.equal(first.headers["x-cache"], "MISS");
    assert.match(first.body, /hello from the legacy app: request number 1/);
    const second = await httpGet(18443, "/");
    assert.equal(second.headers["x-cache"], "HIT");
    assert.equal(second.body, first.body);

    const health = await eventually("healthz on 18444", () => httpGet(18444, "/"), 30_000);
    assert.equal(health.status, 200);
    assert.match(health.body, /server: up\ncache: up/);

    const registry = await eventually("the registration", async () => {
      const text = serviceLogs(`${stack}_registry`);
      return /register my-app \d+\.\d+\.\d+\.\d+:443/.test(text) ? text : undefined;
    }, 60_000);
    assert.match(registry, /register my-app/);

    const collected = await eventually("the access log through the collector", async () => {
      const r = await podlike(["logs", stack, "my-app", "-c", "log-collector"]);
      return /GET \/cgi-bin\/page served \(request 1\)/.test(r.stdout) ? r.stdout : undefined;
    }, 60_000);
    assert.match(collected, /^log-collector \| /m);

    const pod = await runningPod(`${stack}_my-app`, ["server", "cache", "healthz", "sd", "log-collector"]);
    assert.equal(exec(pod.components.cache!, "stat -c '%a' /etc/ssl/myapp.key; cat /etc/ssl/myapp.key"), "400\nexample-key-not-secret");
    assert.match(exec(pod.components.cache!, "cat /opt/cache/conf.d/default.conf"), /UPSTREAM_PORT=3000/);
    const all = await podlike(["logs", stack, "my-app"]);
    assert.match(all.stdout, /migrate \| migrate --apply: schema is up to date/);
  });
});
