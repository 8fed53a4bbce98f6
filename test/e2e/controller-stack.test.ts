/**
 * The whole product on a real Swarm: a Compose file with a pod, converted by
 * `podlike convert --controller-image podlike/controller:local`, deployed with
 * `docker stack deploy`; the pod's components run in the controller's
 * namespaces and share the stack's volume, and `docker stack rm` removes them.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";
import { CONTROLLER_IMAGE, ensureControllerImage, exec, inspect, podContainers, waitFor } from "../controller/e2e-support.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("controller: a converted pod deployed with docker stack deploy", e2eOptions(), () => {
  const stack = testName("stk");
  const dir = mkdtempSync(join(tmpdir(), "podliketest-stack-"));
  let controllerId = "";

  before(() => {
    ensureControllerImage();
    writeFileSync(
      join(dir, "compose.yml"),
      [
        "services:",
        "  server:",
        `    image: ${BUSYBOX}`,
        `    command: ["sh", "-c", "echo hello > /www/index.html; exec httpd -f -p 3000 -h /www"]`,
        "    init: true",
        "    volumes: [logs:/www]",
        "  probe:",
        `    image: ${BUSYBOX}`,
        "    command: sleep 3600",
        "    init: true",
        "    volumes: [logs:/logs:ro, ./shared:/shared:ro]",
        "    configs:",
        "      - {source: conf, target: /etc/app/conf.txt, mode: 0440, uid: '33', gid: '34'}",
        "volumes:",
        "  logs: {}",
        "configs:",
        "  conf:",
        "    file: ./conf.txt",
        "x-pods:",
        "  web:",
        "    components: [server, probe]",
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, "conf.txt"), "from a swarm config\n");
    mkdirSync(join(dir, "shared"));
    writeFileSync(join(dir, "shared", "note.txt"), "from the project folder\n");
    // Written to a subfolder: its paths read ../conf.txt and ../shared, resolved by docker stack deploy and the controller.
    mkdirSync(join(dir, "deploy"));
    execFileSync(process.execPath, ["bin/podlike", "convert", join(dir, "compose.yml"), "--controller-image", CONTROLLER_IMAGE, "-o", join(dir, "deploy", "stack.yml")], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  });

  after(async () => {
    docker(["stack", "rm", stack], { allowFail: true });
    // the controller removes its components when Swarm stops it; wait for that, then make sure
    const end = Date.now() + 30_000;
    while (Date.now() < end && docker(["ps", "-aq", "--filter", `label=com.docker.stack.namespace=${stack}`], { allowFail: true })) await new Promise((r) => setTimeout(r, 500));
    if (controllerId) {
      const left = podContainers(controllerId).map((c) => c.id);
      if (left.length) docker(["rm", "-f", ...left], { allowFail: true });
    }
    for (let i = 0; i < 20 && docker(["volume", "rm", `${stack}_logs`], { allowFail: true }) === ""; i++) await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  });

  test("the pod runs as one service whose components share its network, the stack volume and the member's config", async () => {
    docker(["stack", "deploy", "--resolve-image", "never", "-c", join(dir, "deploy", "stack.yml"), stack]);
    controllerId = await waitFor(
      "the controller task",
      () => docker(["ps", "-q", "--no-trunc", "--filter", `label=com.docker.swarm.service.name=${stack}_web`]) || undefined,
      60_000,
    );
    const components = await waitFor("both components running", () => {
      const list = podContainers(controllerId).filter((c) => c.state === "running");
      return list.some((c) => c.name.endsWith(".podlike.server")) && list.some((c) => c.name.endsWith(".podlike.probe")) ? list : undefined;
    }, 60_000);
    const probe = components.find((c) => c.name.endsWith(".podlike.probe"))!.name;
    const reply = await waitFor("the server over localhost", () => {
      const out = exec(probe, "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc 127.0.0.1 3000 || true");
      return out.includes("hello") ? out : undefined;
    });
    assert.match(reply, /200 OK/);
    assert.equal(exec(probe, "cat /logs/index.html"), "hello");
    // the member's Swarm config reached the component through the controller and pod.copy
    assert.equal(exec(probe, "cat /etc/app/conf.txt"), "from a swarm config");
    assert.equal(exec(probe, "stat -c '%a %u %g' /etc/app/conf.txt"), "440 33 34");
    assert.match(inspect(probe, "{{range .Mounts}}{{.Name}} {{end}}"), new RegExp(`${stack}_logs`));
    // a bind source written relative to the stack file names the project's folder on the node
    assert.equal(exec(probe, "cat /shared/note.txt"), "from the project folder");
    await waitFor("a healthy controller", () => inspect(controllerId, "{{.State.Health.Status}}") === "healthy", 60_000);
  });

  test("docker stack rm removes the controller and every component", async () => {
    assert.ok(controllerId, "the pod ran");
    docker(["stack", "rm", stack]);
    await waitFor("components removed", () => podContainers(controllerId).length === 0, 60_000);
    await waitFor("controller removed", () => inspect(controllerId, "{{.Id}}") === "", 60_000);
  });
});
