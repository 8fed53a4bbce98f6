/**
 * Stacks written for the original Podlike run on this controller:
 * fixtures/examples/podlike-stack holds three pods in its documented style
 * (hand-written labels, single-dash flags, pod.copy strings, pod.compose.file,
 * pod.init.components, a per-task volume with a volume-ref label), deployed
 * with `docker stack deploy` as its README says. Each test is a row of the
 * README's compatibility table marked supported.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { docker, e2eOptions, testName } from "../support/engine.js";
import { CONTROLLER_IMAGE, ensureControllerImage, exec, inspect, waitFor } from "../controller/e2e-support.js";
import { removeStack, runningPod, serviceLogs, stackDeploy } from "./examples-support.js";

const file = fileURLToPath(new URL("../../fixtures/examples/podlike-stack/stack.yml", import.meta.url));

describe("a stack written for the original Podlike", e2eOptions(), () => {
  const stack = testName("podlike");

  before(() => {
    ensureControllerImage();
    stackDeploy(stack, file, { CONTROLLER_IMAGE });
  });
  after(() => removeStack(stack));

  test("volume-ref: components naming `pids` share the controller's per-task volume pids_<task id>, and signals cross the shared PID namespace", async () => {
    const pod = await runningPod(`${stack}_signal`, ["hello", "ping"]);
    const taskId = inspect(pod.controller, '{{index .Config.Labels "com.docker.swarm.task.id"}}');
    assert.ok(taskId, "the controller is a Swarm task");
    for (const name of ["hello", "ping"]) {
      assert.equal(inspect(pod.components[name]!, '{{range .Mounts}}{{if eq .Destination "/var/pids"}}{{.Name}}{{end}}{{end}}'), `pids_${taskId}`);
    }
    // -logs: the controller's output carries each component's lines under its name
    await waitFor("hello trapping ping's SIGHUP", () => /hello \| Hello there!/.test(serviceLogs(`${stack}_signal`)), 60_000, 1000);
    assert.match(serviceLogs(`${stack}_signal`), /ping \| Ping!/);
  });

  test("pod.copy in string form copies a Swarm config into the component; the app answers on localhost only; depends_on service_healthy orders the start", async () => {
    const pod = await runningPod(`${stack}_sidecar`, ["app", "proxy"]);
    assert.equal(exec(pod.components.proxy!, "cat /etc/proxy/default.conf"), "upstream http://127.0.0.1:12000");
    assert.match(exec(pod.components.proxy!, "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc 127.0.0.1 12000"), /demo-site/);
    const appStarted = Date.parse(inspect(pod.components.app!, "{{.State.StartedAt}}"));
    const proxyStarted = Date.parse(inspect(pod.components.proxy!, "{{.State.StartedAt}}"));
    assert.ok(proxyStarted > appStarted, "the proxy starts after the app");
    assert.equal(inspect(pod.components.app!, "{{.State.Health.Status}}"), "healthy");
    // the image's health check (podlike healthcheck) reports the pod
    await waitFor("a healthy controller", () => inspect(pod.controller, "{{.State.Health.Status}}") === "healthy", 90_000, 1000);
  });

  test("pod.compose.file supplies the components and pod.init.components runs first, on the stack's volume named by its short name", async () => {
    const pod = await runningPod(`${stack}_composed`, ["web"]);
    await waitFor("web's first line", () => /web \| web sees: migrated/.test(serviceLogs(`${stack}_composed`)), 60_000, 1000);
    assert.equal(inspect(pod.components.web!, '{{range .Mounts}}{{if eq .Destination "/data"}}{{.Name}}{{end}}{{end}}'), `${stack}_data`);
    // -ipc=false: the component keeps an IPC namespace of its own
    assert.doesNotMatch(inspect(pod.components.web!, "{{.HostConfig.IpcMode}}"), /^container:/);
    assert.equal(docker(["volume", "ls", "-q", "--filter", "name=^pids$"], { allowFail: true }), "", "no plain `pids` volume was made");
  });
});
