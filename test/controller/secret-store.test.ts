import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FakeEngine } from "../support/fake-engine.js";
import { DEFAULT_FLAGS } from "../../src/controller/flags.js";
import { planPod } from "../../src/controller/plan.js";
import { createSupervisor } from "../../src/controller/supervisor.js";
import type { CopySource } from "../../src/controller/copy.js";
import { removeOrphans } from "../../src/controller/orphans.js";

const files: Record<string, string> = { "/run/podlike/app/secrets/token": "t0k3n", "/run/podlike/app/secrets/cert": "c3rt", "/run/podlike/app/configs/conf": "a=1" };
const source: CopySource = { isDirectory: () => false, read: (p) => Buffer.from(files[p]!), mode: () => 0o644, list: () => [] };
const COPIES = [
  "- {source: /run/podlike/app/secrets/token, target: /run/secrets/token, mode: '0400', uid: 33}",
  "- {source: /run/podlike/app/secrets/cert, target: /etc/tls/, mode: '0440'}",
  "- {source: /run/podlike/app/configs/conf, target: /etc/app.conf}",
].join("\n");

async function pod() {
  const engine = new FakeEngine({ images: ["busybox:test", "podlike/controller:test"] });
  const controller = engine.seed("ctl", { Image: "podlike/controller:test", Labels: { "pod.component.app": "image: busybox:test", "pod.copy.app": COPIES } });
  const plan = planPod((await engine.inspectContainer(controller.id))!, DEFAULT_FLAGS, { copySource: source, pauseProgram: "/usr/local/bin/podlike-pause" });
  return { engine, plan, controllerId: controller.id };
}

describe("secrets on tmpfs", () => {
  test("each folder receiving a secret is a tmpfs volume mounted there; configs stay in the layer archive", async () => {
    const { engine, plan, controllerId } = await pod();
    const app = plan.components[0]!;
    assert.deepEqual(app.secretFolders.map((f) => [f.folder, f.volume]), [["/run/secrets", "ctl.podlike.app.secrets-0"], ["/etc/tls", "ctl.podlike.app.secrets-1"]]);
    const mounts = app.body.HostConfig!.Mounts as { Type: string; Source: string; Target: string }[];
    assert.deepEqual(mounts.map((m) => `${m.Type}:${m.Source}:${m.Target}`), ["volume:ctl.podlike.app.secrets-0:/run/secrets", "volume:ctl.podlike.app.secrets-1:/etc/tls"]);
    const volume = plan.secretStore!.volumes[0]!;
    assert.equal(volume.spec.driverOpts.type, "tmpfs");
    assert.match(volume.spec.driverOpts.o!, /^size=\d+,mode=0755,nosuid,nodev,noexec$/);
    assert.equal(volume.spec.labels["podlike.controller"], controllerId);
    // the layer archive holds the config only
    assert.ok(app.archive!.includes(Buffer.from("a=1")));
    assert.ok(!app.archive!.includes(Buffer.from("t0k3n")));
    assert.ok(app.secretFolders[0]!.archive.includes(Buffer.from("t0k3n")));
    // the keeper holds the volumes outside the pod's PID and IPC namespaces; it shares the controller's network namespace for its link
    const keeper = plan.secretStore!.keeper;
    assert.equal(keeper.name, "ctl.podlike-secrets");
    assert.equal(keeper.body.HostConfig!.NetworkMode, `container:${controllerId}`);
    assert.equal(keeper.body.HostConfig!.PidMode, undefined);
    assert.equal(keeper.body.HostConfig!.IpcMode, undefined);
    assert.deepEqual(keeper.body.Entrypoint, ["/usr/local/bin/podlike-pause", keeper.link]);
    assert.notEqual(keeper.link, plan.holder!.link, "the keeper and the sandbox each accept one connection: two links");
    void engine;
  });

  test("the supervisor starts the keeper before copying, copies per folder, and removes the volumes after the members", async () => {
    const { engine, plan } = await pod();
    const connectLink = async (name: string) => {
      engine.calls.push(`link ${name}`);
      return { close() {} };
    };
    const supervisor = createSupervisor({ engine, logger: { info() {}, warn() {}, error() {} }, self: plan, flags: DEFAULT_FLAGS, connectLink });
    const done = supervisor.run();
    for (let i = 0; i < 2000 && engine.byName("ctl.podlike.app")?.status !== "running"; i++) await new Promise((r) => setImmediate(r));
    assert.equal(engine.volumes.size, 2);
    const calls = engine.calls;
    const at = (call: string) => {
      const i = calls.findIndex((c) => c.startsWith(call));
      assert.ok(i >= 0, `${call} in ${calls.join(", ")}`);
      return i;
    };
    assert.ok(at("start ctl.podlike-secrets") < at(`link ${plan.secretStore!.keeper.link}`));
    assert.ok(at(`link ${plan.secretStore!.keeper.link}`) < at("copy ctl.podlike.app"));
    assert.deepEqual(engine.byName("ctl.podlike.app")!.archives.map((a) => a.path), ["/", "/run/secrets", "/etc/tls"]);
    supervisor.stop("test");
    assert.equal(await done, 0);
    assert.ok(at("remove volume ctl.podlike.app.secrets-0") > at("remove ctl.podlike.app"));
    assert.equal(engine.volumes.size, 0);
    assert.deepEqual([...engine.containers.values()].map((c) => c.name), ["ctl"]);
  });

  test("the next controller removes the secret volumes a dead controller left", async () => {
    const engine = new FakeEngine();
    await engine.createVolume("old.podlike.app.secrets-0", { driver: "local", driverOpts: {}, labels: { "podlike.controller": "gone" } });
    await engine.createVolume("unrelated", { driver: "local", driverOpts: {}, labels: {} });
    const removed = await removeOrphans(engine, "me", () => {});
    assert.deepEqual(removed, ["old.podlike.app.secrets-0"]);
    assert.deepEqual([...engine.volumes.keys()], ["unrelated"]);
  });
});
