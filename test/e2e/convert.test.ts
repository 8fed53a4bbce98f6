/**
 * The converted example is plain Swarm input: `docker stack deploy` of the
 * Docker 20.10 CLI accepts it and creates its services, with the pod.*
 * labels exactly as convert wrote them. The controller image here is the
 * busybox test image (the controller runtime is tested elsewhere), so its
 * tasks do not run a pod; only the service definitions are checked.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";
import { convertProject } from "../../src/stack/emit.js";
import { decodeLabels } from "../../src/labels/protocol.js";
import type { SwarmStack } from "../../src/stack/types.js";

const EXAMPLE = fileURLToPath(new URL("../../fixtures/examples/sidecar/", import.meta.url));

async function waitFor(what: string, done: () => boolean, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe("docker stack deploy of a converted stack", e2eOptions(), () => {
  const stackName = testName("convert");
  const dir = mkdtempSync(join(tmpdir(), "podlike-e2e-convert-"));
  let stack: SwarmStack;

  before(async () => {
    const converted = await convertProject({ files: ["compose.yml"], cwd: EXAMPLE, env: {}, controllerImage: BUSYBOX });
    assert.ok(converted.value, JSON.stringify(converted.diagnostics));
    stack = converted.value.stack;
    // Another run of this test may hold the example's host port: publish a free one instead.
    const text = converted.value.yaml.replace("published: 8443", `published: ${20000 + (process.pid % 20000)}`);
    writeFileSync(join(dir, "stack.yml"), text);
    docker(["stack", "deploy", "--resolve-image", "never", "-c", join(dir, "stack.yml"), stackName]);
  });

  after(async () => {
    docker(["stack", "rm", stackName], { allowFail: true });
    const left = () =>
      docker(["service", "ls", "-q", "--filter", `label=com.docker.stack.namespace=${stackName}`], { allowFail: true }) === "" &&
      docker(["ps", "-aq", "--filter", `label=com.docker.stack.namespace=${stackName}`], { allowFail: true }) === "" &&
      docker(["network", "ls", "-q", "--filter", `label=com.docker.stack.namespace=${stackName}`], { allowFail: true }) === "";
    await waitFor(`stack ${stackName} to be removed`, left, 90_000).catch(() => undefined);
    docker(["volume", "rm", `${stackName}_logs`], { allowFail: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates one service per pod and per service outside pods", () => {
    const names = docker(["stack", "services", stackName, "--format", "{{.Name}}"]).split("\n").sort();
    assert.deepEqual(names, [`${stackName}_db`, `${stackName}_my-app`]);
  });

  it("the pod's service carries the labels convert wrote, and they decode to the pod's members", () => {
    const spec = JSON.parse(docker(["service", "inspect", `${stackName}_my-app`, "--format", "{{json .Spec.TaskTemplate.ContainerSpec}}"]));
    assert.deepEqual(spec.Labels, { ...(stack.services["my-app"]!.labels as Record<string, string>), "com.docker.stack.namespace": stackName });
    const { model, problems } = decodeLabels(spec.Labels);
    assert.deepEqual(problems, []);
    assert.deepEqual(Object.keys(model.components).sort(), ["cache", "log-collector", "server"]);
    assert.deepEqual(model.init.map((i) => i.name), ["migrate"]);
    assert.match(String((model.components.server!.command as string[])[2]), /\$\(date\) served/, "a literal $ survives docker's interpolation");
  });

  it("the controller gets the socket, the pod's volume, configs and secrets at internal paths, and its health check", () => {
    const spec = JSON.parse(docker(["service", "inspect", `${stackName}_my-app`, "--format", "{{json .Spec}}"]));
    const container = spec.TaskTemplate.ContainerSpec;
    assert.equal(container.Image.split("@")[0], BUSYBOX);
    assert.equal(container.Init, true);
    const mounts = container.Mounts.map((m: { Type: string; Source: string; Target: string }) => `${m.Type} ${m.Source} ${m.Target}`).sort();
    assert.deepEqual(mounts, ["bind /var/run/docker.sock /var/run/docker.sock", `volume ${stackName}_logs /run/podlike/volumes/logs`]);
    assert.deepEqual(container.Configs.map((c: { File: { Name: string } }) => c.File.Name), ["/run/podlike/cache/configs/cache_conf"]);
    assert.deepEqual(container.Secrets.map((s: { File: { Name: string } }) => s.File.Name), ["/run/podlike/cache/secrets/ssl-key"]);
    assert.deepEqual(container.Healthcheck.Test, ["CMD", "podlike-healthcheck"]);
    assert.equal(container.Healthcheck.Interval, 1e9);
    assert.equal(container.StopGracePeriod, 25e9);
    assert.deepEqual(container.Args, ["--logs"]);
    const ports = spec.EndpointSpec.Ports.map((p: { TargetPort: number; PublishMode: string }) => `${p.TargetPort}/${p.PublishMode}`);
    assert.deepEqual(ports, ["443/host"]);
    const aliases = spec.TaskTemplate.Networks.flatMap((n: { Aliases?: string[] }) => n.Aliases ?? []).sort();
    assert.deepEqual(aliases, ["cache", "log-collector", "my-app", "server"]);
  });
});
