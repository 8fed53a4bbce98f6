import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { projectDir } from "../../src/controller/plan.js";
import { sharedMounts } from "../../src/controller/shared-mounts.js";
import type { ContainerInfo } from "../../src/engine/container-engine.js";

describe("what --volumes shares", () => {
  test("the stack file's folder is the source of the controller's project mount, and --volumes does not share it", () => {
    const controller = { mounts: [
      { type: "bind", source: "/home/me/proj/deploy", destination: "/run/podlike/project", readOnly: true },
      { type: "bind", source: "/srv/www", destination: "/www", readOnly: true },
    ] } as unknown as ContainerInfo;
    assert.equal(projectDir(controller), "/home/me/proj/deploy");
    assert.deepEqual(sharedMounts(controller).mounts.map((m) => m.Target), ["/www"]);
    assert.equal(projectDir({ mounts: [] } as unknown as ContainerInfo), undefined);
  });

  test("--volumes shares volumes and binds, never the Docker socket or the configs held for copying", () => {
    const controller = { mounts: [
      { type: "volume", name: "mystack_logs", source: "", destination: "/run/podlike/volumes/logs", readOnly: false },
      { type: "bind", source: "/srv/www", destination: "/www", readOnly: true },
      { type: "bind", source: "/var/run/docker.sock", destination: "/var/run/docker.sock", readOnly: false },
      { type: "bind", source: "/var/lib/docker/swarm/configs/x", destination: "/run/podlike/cache/configs/conf", readOnly: true },
    ] } as unknown as ContainerInfo;
    assert.deepEqual(sharedMounts(controller).mounts.map((m) => m.Target), ["/run/podlike/volumes/logs", "/www"]);
  });

  test("--volumes recognises the engine socket by its host source, under any target, and folders holding it", () => {
    const controller = { mounts: [
      { type: "bind", source: "/var/run/docker.sock", destination: "/engine.sock", readOnly: false },
      { type: "bind", source: "/var/run", destination: "/host-run", readOnly: true },
      { type: "bind", source: "/run/", destination: "/host-run2", readOnly: true },
      { type: "bind", source: "/", destination: "/host", readOnly: true },
      { type: "bind", source: "/srv/other.sock", destination: "/var/run/docker.sock", readOnly: false },
      { type: "bind", source: "/srv", destination: "/data", readOnly: false },
      { type: "bind", source: "/srv/www", destination: "/www", readOnly: true },
    ] } as unknown as ContainerInfo;
    const shared = sharedMounts(controller);
    // /srv/other.sock is what the controller talks to (it sits where clients look), so it is the socket, as is the folder holding it
    assert.deepEqual(shared.mounts.map((m) => m.Source), ["/srv/www"]);
    assert.equal(shared.warnings.length, 6);
    assert.match(shared.warnings[0]!, /\/var\/run\/docker\.sock \(at \/engine\.sock\) is not shared with the components: it holds the Docker engine's socket/);
  });

  test("--volumes keeps back a volume the socket is mounted inside: it holds the engine's empty placeholder docker.sock", () => {
    const controller = { mounts: [
      { type: "volume", name: "mystack_run", source: "", destination: "/var/run", readOnly: false },
      { type: "bind", source: "/var/run/docker.sock", destination: "/var/run/docker.sock", readOnly: false },
      { type: "volume", name: "mystack_data", source: "", destination: "/data", readOnly: false },
    ] } as unknown as ContainerInfo;
    const shared = sharedMounts(controller);
    assert.deepEqual(shared.mounts.map((m) => m.Source), ["mystack_data"]);
    assert.match(shared.warnings.join("\n"), /mystack_run \(at \/var\/run\) is not shared with the components: the engine socket is mounted inside it/);
  });
});
