/**
 * `-volumes=true` (the original Podlike's flag) on a real engine: components
 * get the controller's volumes, but nothing that leads to the engine's
 * socket. A named volume at /var/run with the socket bound inside it holds the
 * engine's empty placeholder `docker.sock`; it stays with the controller, as
 * does a bind of the host's /var/run, while an ordinary volume is shared.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";
import { component, controllerLogs, ensureControllerImage, exec, removePod, runController, waitFor } from "../controller/e2e-support.js";

describe("-volumes=true shares the controller's volumes, never the engine socket", e2eOptions(), () => {
  const name = testName("shared-volumes");
  const data = testName("shared-data");
  const run = testName("shared-run");
  let id = "";

  before(() => {
    ensureControllerImage();
    docker(["volume", "create", data]);
    docker(["volume", "create", run]);
    // the data volume holds a file the component must see
    docker(["run", "--rm", "-v", `${data}:/data`, BUSYBOX, "sh", "-c", "echo from-the-volume > /data/greeting"]);
  });

  after(() => {
    removePod(name, id);
    docker(["volume", "rm", "-f", data, run], { allowFail: true });
  });

  test("the component reads the shared volume, and finds no docker.sock, placeholder or real, anywhere it can look", async () => {
    id = runController(name, {
      labels: { "pod.component.app": component([`image: ${BUSYBOX}`, "command: sleep 3600", "init: true"]) },
      // the socket is bound inside the /var/run volume, so the engine leaves an empty docker.sock in that volume
      dockerArgs: ["-v", `${run}:/var/run`, "-v", `${data}:/data`, "-v", "/var/run:/host-run"],
      flags: ["-volumes=true"],
    });
    const app = `${name}.podlike.app`;
    await waitFor("the component", () => docker(["inspect", "--format", "{{.State.Running}}", app], { allowFail: true }) === "true", 60_000);

    assert.equal(exec(app, "cat /data/greeting"), "from-the-volume");
    const placeholder = docker(["run", "--rm", "-v", `${run}:/v`, BUSYBOX, "sh", "-c", "ls /v"]);
    assert.match(placeholder, /docker\.sock/, "the engine did leave its placeholder in the /var/run volume");
    const found = exec(app, "for p in /var/run/docker.sock /run/docker.sock /host-run/docker.sock; do [ -e $p ] && echo $p; done; find / -xdev -name docker.sock 2>/dev/null; true");
    assert.equal(found, "");
    const mounts = docker(["inspect", "--format", "{{range .Mounts}}{{.Destination}} {{end}}", app]).split(" ").filter(Boolean);
    assert.ok(mounts.includes("/data"), mounts.join(" "));
    assert.ok(!mounts.includes("/var/run") && !mounts.includes("/host-run"), mounts.join(" "));
    const { stderr } = controllerLogs(name);
    assert.match(stderr, new RegExp(`${run} \\(at /var/run\\) is not shared with the components: the engine socket is mounted inside it`));
    assert.match(stderr, /\/var\/run \(at \/host-run\) is not shared with the components: it holds the Docker engine's socket/);
  });
});
