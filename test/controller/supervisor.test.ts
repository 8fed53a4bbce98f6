import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { PodlikeError } from "../../src/diagnostics/errors.js";
import { fakePod, IMAGE, leftovers, ManualClock, service, until } from "./pod-fixture.js";

const running = (pod: Awaited<ReturnType<typeof fakePod>>, name: string) =>
  pod.engine.byName(`ctl.podlike.${name}`)?.status === "running";

const callIndex = (calls: string[], call: string) => {
  const i = calls.indexOf(call);
  assert.ok(i >= 0, `expected call "${call}" in ${calls.join(", ")}`);
  return i;
};

describe("supervisor: start order and teardown", () => {
  test("sandbox first, dependencies before dependents, reverse on stop, sandbox removed after every stop", async () => {
    const pod = await fakePod({
      "pod.component.db": service({ command: "sleep 1000" }),
      "pod.component.web": service({ command: "sleep 1000", depends_on: ["db"] }),
    });
    const done = pod.supervisor.run();
    await until(() => running(pod, "web"), "web running");
    pod.supervisor.stop("test");
    assert.equal(await done, 0);
    const calls = pod.engine.calls;
    assert.ok(callIndex(calls, "start ctl.podlike-sandbox") < callIndex(calls, "start ctl.podlike.db"));
    assert.ok(callIndex(calls, "start ctl.podlike.db") < callIndex(calls, "start ctl.podlike.web"));
    assert.ok(callIndex(calls, "stop ctl.podlike.web") < callIndex(calls, "stop ctl.podlike.db"));
    const lastStop = Math.max(...calls.map((c, i) => (c.startsWith("stop ") ? i : -1)));
    assert.ok(callIndex(calls, "remove ctl.podlike-sandbox") > lastStop, "the sandbox goes once every component has stopped");
    assert.deepEqual(leftovers(pod), []);
  });

  test("components join the controller's network namespace, the sandbox's PID and IPC namespaces, and the controller's cgroup parent", async () => {
    const pod = await fakePod({ "pod.component.app": service({}) }, { cgroupParent: "/swarm/pods" });
    const done = pod.supervisor.run();
    await until(() => running(pod, "app"));
    const host = pod.engine.byName("ctl.podlike.app")!.body.HostConfig!;
    assert.equal(host.NetworkMode, `container:${pod.controllerId}`);
    assert.equal(host.PidMode, "container:ctl.podlike-sandbox");
    assert.equal(host.IpcMode, "container:ctl.podlike-sandbox");
    assert.equal(host.CgroupParent, "/swarm/pods");
    assert.equal(pod.engine.byName("ctl.podlike-sandbox")!.body.HostConfig!.IpcMode, "shareable");
    assert.equal(pod.engine.byName("ctl.podlike-sandbox")!.body.HostConfig!.CgroupParent, "/swarm/pods");
    assert.deepEqual(pod.engine.byName("ctl.podlike.app")!.body.Labels, {
      "podlike.controller": pod.controllerId,
      "podlike.component": "app",
      "podlike.role": "component",
    });
    pod.supervisor.stop("test");
    await done;
  });

  test("the sandbox owns the pod's namespaces even when the controller's IPC namespace is shareable; none with --no-pids --no-ipc", async () => {
    const shareable = await fakePod({ "pod.component.app": service({}) }, { ipcMode: "shareable" });
    let done = shareable.supervisor.run();
    await until(() => running(shareable, "app"));
    assert.equal(shareable.engine.byName("ctl.podlike.app")!.body.HostConfig!.IpcMode, "container:ctl.podlike-sandbox");
    shareable.supervisor.stop("test");
    await done;

    const off = await fakePod({ "pod.component.app": service({}) }, { flags: { ipc: false, pids: false } });
    done = off.supervisor.run();
    await until(() => running(off, "app"));
    assert.equal(off.engine.byName("ctl.podlike-sandbox"), undefined);
    const host = off.engine.byName("ctl.podlike.app")!.body.HostConfig!;
    assert.equal(host.IpcMode, undefined);
    assert.equal(host.PidMode, undefined);
    off.supervisor.stop("test");
    await done;
  });

  test("a component that exits ends the pod with its exit code", async () => {
    const pod = await fakePod({
      "pod.component.app": service({ command: "sleep 1000" }),
      "pod.component.job": service({ command: "sleep 1000" }),
    });
    const done = pod.supervisor.run();
    await until(() => running(pod, "job") && running(pod, "app"));
    pod.engine.exit("ctl.podlike.job", 3);
    assert.equal(await done, 3);
    assert.deepEqual(leftovers(pod), []);
    assert.ok(pod.messages.some((m) => /component job exited with code 3/.test(m)));
  });

  test("stop() while a dependency is still starting tears down what exists and exits 0", async () => {
    const pod = await fakePod({
      "pod.component.db": service({ healthcheck: { test: ["CMD", "wait-forever"] } }),
      "pod.component.web": service({ depends_on: { db: { condition: "service_healthy" } } }),
    });
    const done = pod.supervisor.run();
    await until(() => running(pod, "db"));
    assert.equal(pod.engine.byName("ctl.podlike.web")?.status, "created");
    pod.supervisor.stop("SIGTERM");
    assert.equal(await done, 0);
    assert.deepEqual(leftovers(pod), []);
    assert.ok(!pod.engine.calls.includes("start ctl.podlike.web"));
  });

  test("stop() in the middle of an engine call waits for it, then removes what it created", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let pod!: Awaited<ReturnType<typeof fakePod>>;
    pod = await fakePod(
      { "pod.component.app": service({}), "pod.component.other": service({}) },
      { delay: (call) => (call.startsWith("create ctl.podlike.") ? gate : undefined) },
    );
    const done = pod.supervisor.run();
    await until(() => pod.engine.calls.includes("create ctl.podlike.app") && pod.engine.calls.includes("create ctl.podlike.other"));
    pod.supervisor.stop("SIGINT");
    release();
    assert.equal(await done, 0);
    assert.deepEqual(leftovers(pod), []);
    assert.ok(!pod.engine.calls.some((c) => c.startsWith("start ctl.podlike.")));
  });

  test("a failed copy or start names the component and leaves no container behind", async () => {
    const copyFails = await fakePod(
      { "pod.component.app": service({}), "pod.copy.app": "- {source: /etc/passwd, target: /x}" },
      { delay: (call) => { if (call === "copy ctl.podlike.app") throw new Error("no space left on device"); } },
    );
    assert.equal(await copyFails.supervisor.run(), 1);
    assert.ok(copyFails.messages.includes("error: component app: cannot copy its pod.copy files in: no space left on device"), copyFails.messages.join("\n"));
    assert.deepEqual(leftovers(copyFails), []);

    const startFails = await fakePod(
      { "pod.component.app": service({}), "pod.component.other": service({}) },
      { delay: (call) => { if (call === "start ctl.podlike.app") throw new Error("executable file not found"); } },
    );
    assert.equal(await startFails.supervisor.run(), 1);
    assert.ok(startFails.messages.includes("error: component app: cannot start: executable file not found"), startFails.messages.join("\n"));
    assert.deepEqual(leftovers(startFails), []);
  });

  test("a start that fails before the event subscription answers still closes the subscription", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pod = await fakePod({ "pod.component.app": service({}) }, {
      delay: (call) => {
        if (call === "subscribe") return gate;
        if (call === "list") throw new Error("engine busy");
      },
    });
    const done = pod.supervisor.run();
    await until(() => pod.messages.some((m) => /engine busy/.test(m)), "the failed start");
    release();
    assert.equal(await done, 1);
    assert.ok(pod.engine.calls.includes("unsubscribe"), "an open event stream keeps the controller's process alive");
  });
});

describe("supervisor: init components", () => {
  test("run one at a time, in order, each removed before the next; then the components", async () => {
    const pod = await fakePod({
      "pod.init.components": JSON.stringify([
        { image: IMAGE, command: "exit 0", "x-podlike-name": "first" },
        { image: IMAGE, command: "exit 0", "x-podlike-name": "second" },
      ]),
      "pod.component.app": service({}),
    });
    const done = pod.supervisor.run();
    await until(() => running(pod, "app"));
    const calls = pod.engine.calls;
    assert.ok(callIndex(calls, "remove ctl.podlike.first") < callIndex(calls, "create ctl.podlike.second"));
    assert.ok(callIndex(calls, "remove ctl.podlike.second") < callIndex(calls, "create ctl.podlike.app"));
    pod.supervisor.stop("test");
    assert.equal(await done, 0);
  });

  test("a failing init component stops the pod with its exit code; no component is created", async () => {
    const pod = await fakePod({
      "pod.init.components": JSON.stringify([{ image: IMAGE, command: "exit 4", "x-podlike-name": "migrate" }]),
      "pod.component.app": service({}),
    });
    assert.equal(await pod.supervisor.run(), 4);
    assert.ok(!pod.engine.calls.includes("create ctl.podlike.app"));
    assert.deepEqual(leftovers(pod), []);
    assert.ok(pod.messages.some((m) => /init component migrate exited with code 4/.test(m)));
  });

  test("an init component's exit is waited for before it starts, so the engine may remove it on exit and its code still arrives", async () => {
    const pod = await fakePod({
      "pod.init.components": JSON.stringify([{ image: IMAGE, command: "exit 4", "x-podlike-name": "migrate" }]),
      "pod.component.app": service({}),
    });
    assert.equal(await pod.supervisor.run(), 4);
    const calls = pod.engine.calls;
    assert.ok(callIndex(calls, "wait ctl.podlike.migrate") < callIndex(calls, "start ctl.podlike.migrate"), calls.join(", "));
  });
});

describe("supervisor: depends_on conditions", () => {
  test("service_healthy waits for the dependency's health check", async () => {
    const pod = await fakePod({
      "pod.component.db": service({ healthcheck: { test: ["CMD", "check"] } }),
      "pod.component.web": service({ depends_on: { db: { condition: "service_healthy" } } }),
    });
    const done = pod.supervisor.run();
    await until(() => running(pod, "db"));
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    assert.equal(pod.engine.byName("ctl.podlike.web")?.status, "created");
    pod.engine.setHealth("ctl.podlike.db", "healthy");
    await until(() => running(pod, "web"), "web starts once db is healthy");
    pod.supervisor.stop("test");
    assert.equal(await done, 0);
  });

  test("service_completed_successfully waits for the dependency to exit 0, which does not end the pod", async () => {
    const pod = await fakePod({
      "pod.component.setup": service({ command: "exit 0" }),
      "pod.component.web": service({ depends_on: { setup: { condition: "service_completed_successfully" } } }),
    });
    const done = pod.supervisor.run();
    await until(() => running(pod, "web"));
    pod.supervisor.stop("test");
    assert.equal(await done, 0);
  });

  test("a dependency that never gets healthy fails the pod after the start timeout", async () => {
    const pod = await fakePod(
      {
        "pod.component.db": service({ healthcheck: { test: ["CMD", "check"] } }),
        "pod.component.web": service({ depends_on: { db: { condition: "service_healthy" } } }),
      },
      { startTimeoutMs: 50 },
    );
    assert.equal(await pod.supervisor.run(), 1);
    assert.ok(pod.messages.some((m) => /waiting for db \(service_healthy\) before starting web; allow longer with PODLIKE_START_TIMEOUT/.test(m)), pod.messages.join("\n"));
    assert.deepEqual(leftovers(pod), []);
  });

  test("service_healthy on a dependency that turns unhealthy fails the pod at once", async () => {
    const pod = await fakePod({
      "pod.component.db": service({ healthcheck: { test: ["CMD", "false"] } }),
      "pod.component.web": service({ depends_on: { db: { condition: "service_healthy" } } }),
    });
    assert.equal(await pod.supervisor.run(), 1);
    assert.ok(pod.messages.some((m) => /web needs db healthy, but db is unhealthy/.test(m)), pod.messages.join("\n"));
    assert.ok(!pod.engine.calls.includes("start ctl.podlike.web"));
  });

  test("service_healthy on a component without a health check fails with a reason", async () => {
    const pod = await fakePod({
      "pod.component.db": service({}),
      "pod.component.web": service({ depends_on: { db: { condition: "service_healthy" } } }),
    });
    assert.equal(await pod.supervisor.run(), 1);
    assert.ok(pod.messages.some((m) => /db has no health check; give db a healthcheck or depend on it with condition service_started/.test(m)));
  });
});

describe("supervisor: health", () => {
  test("starting → healthy when every check passes; unhealthy when one fails", async () => {
    const pod = await fakePod({
      "pod.component.app": service({ healthcheck: { test: ["CMD", "check"] } }),
      "pod.component.plain": service({}),
    });
    const done = pod.supervisor.run();
    await until(() => running(pod, "app"));
    await until(() => pod.messages.some((m) => m.startsWith("pod running")));
    assert.equal(pod.health.at(-1), "starting");
    pod.engine.setHealth("ctl.podlike.app", "healthy");
    await until(() => pod.health.at(-1) === "healthy", "healthy");
    pod.engine.setHealth("ctl.podlike.app", "unhealthy");
    await until(() => pod.health.at(-1) === "unhealthy", "unhealthy");
    pod.supervisor.stop("test");
    await done;
    assert.equal(pod.health.at(-1), "stopping");
  });
});

describe("supervisor: orphans, stale names, images", () => {
  test("removes components of a controller that no longer runs, and keeps those of a running one", async () => {
    const pod = await fakePod({ "pod.component.app": service({}) }, {
      prepare(engine) {
        engine.seed("gone.podlike.x", { Image: IMAGE, Labels: { "podlike.controller": "f".repeat(64), "podlike.component": "x" } });
        const alive = engine.seed("alive", { Image: IMAGE });
        engine.seed("alive.podlike.y", { Image: IMAGE, Labels: { "podlike.controller": alive.id, "podlike.component": "y" } });
      },
    });
    const done = pod.supervisor.run();
    await until(() => running(pod, "app"));
    assert.equal(pod.engine.byName("gone.podlike.x"), undefined);
    assert.ok(pod.engine.byName("alive.podlike.y"));
    pod.supervisor.stop("test");
    await done;
  });

  test("a stale component with the name about to be used is replaced", async () => {
    let staleId = "";
    const pod = await fakePod({ "pod.component.app": service({}) }, {
      // created after the orphan pass would have run: only the name clash finds it
      delay: (call) => {
        if (call === "create ctl.podlike.app" && !staleId) staleId = pod.engine.seed("ctl.podlike.app", { Image: IMAGE, Labels: { "podlike.controller": "e".repeat(64) } }).id;
      },
    });
    const done = pod.supervisor.run();
    await until(() => running(pod, "app"));
    assert.notEqual(pod.engine.byName("ctl.podlike.app")!.id, staleId);
    pod.supervisor.stop("test");
    assert.equal(await done, 0);
  });

  test("the sandbox and the members are created while the orphan sweep is under way; nothing starts before it is done, and the sweep spares them", async () => {
    let releaseList!: () => void;
    const listed = new Promise<void>((resolve) => (releaseList = resolve));
    let earlierRun = "";
    const pod = await fakePod({ "pod.component.app": service({}) }, {
      // an earlier run of this very controller left a member the plan no longer has
      prepare: (engine) => void (earlierRun = engine.seed("ctl.podlike.old", { Image: IMAGE, Labels: { "podlike.controller": engine.byName("ctl")!.id } }).id),
      delay: (call) => (call === "list" ? listed : undefined),
    });
    const done = pod.supervisor.run();
    await until(() => pod.engine.calls.includes("create ctl.podlike.app"), "the member created");
    assert.ok(pod.engine.calls.includes("create ctl.podlike-sandbox"));
    assert.deepEqual(pod.engine.calls.filter((c) => c.startsWith("start ")), [], "nothing starts while the sweep lists");
    releaseList();
    await until(() => running(pod, "app"));
    assert.equal(pod.engine.byName("ctl.podlike.old"), undefined, `the earlier run's member ${earlierRun.slice(0, 12)} is gone`);
    assert.ok(callIndex(pod.engine.calls, "remove ctl.podlike.old") < callIndex(pod.engine.calls, "start ctl.podlike-sandbox"));
    assert.equal(pod.engine.byName("ctl.podlike-sandbox")?.status, "running");
    pod.supervisor.stop("test");
    assert.equal(await done, 0);
    assert.deepEqual(leftovers(pod), []);
  });

  test("a stale container the sweep removes while the create stumbles on its name: the create tries again", async () => {
    let seeded = false;
    const pod = await fakePod({ "pod.component.app": service({}) }, {
      delay: async (call) => {
        // a dead controller's container under the name, met by the create...
        if (call === "create ctl.podlike.app" && !seeded) {
          seeded = true;
          pod.engine.seed("ctl.podlike.app", { Image: IMAGE, Labels: { "podlike.controller": "e".repeat(64) } }, "created");
        }
        // ...and gone by the time the create looks at it
        if (call === "inspect ctl.podlike.app") await pod.engine.removeContainer(pod.engine.byName("ctl.podlike.app")!.id, { force: true });
      },
    });
    const done = pod.supervisor.run();
    await until(() => running(pod, "app"));
    pod.supervisor.stop("test");
    assert.equal(await done, 0);
    assert.ok(!pod.messages.some((m) => /taken by a container this pod does not own/.test(m)), pod.messages.join("\n"));
  });

  test("a name taken by a container the pod does not own fails the pod", async () => {
    const pod = await fakePod({ "pod.component.app": service({}) }, {
      prepare: (engine) => void engine.seed("ctl.podlike.app", { Image: IMAGE }),
    });
    assert.equal(await pod.supervisor.run(), 1);
    assert.ok(pod.engine.byName("ctl.podlike.app"), "someone else's container stays");
    assert.ok(pod.messages.some((m) => /taken by a container this pod does not own/.test(m)));
  });

  test("a present image is not pulled; a missing one is pulled once; --pull always pulls", async () => {
    const present = await fakePod({ "pod.component.a": service({}), "pod.component.b": service({}) });
    let done = present.supervisor.run();
    await until(() => running(present, "b") && running(present, "a"));
    present.supervisor.stop("test");
    await done;
    assert.deepEqual(present.engine.pulls, []);
    // as docker run: the create itself tells whether the image is there, with no lookup before it
    assert.deepEqual(present.engine.calls.filter((c) => c.startsWith("image ")), []);

    const missing = await fakePod({ "pod.component.a": service({ image: "other:1" }), "pod.component.b": service({ image: "other:1" }) });
    done = missing.supervisor.run();
    await until(() => running(missing, "b") && running(missing, "a"));
    missing.supervisor.stop("test");
    await done;
    assert.deepEqual(missing.engine.pulls.map((p) => p.ref), ["other:1"]);

    const always = await fakePod({ "pod.component.a": service({}) }, { flags: { pull: true } });
    done = always.supervisor.run();
    await until(() => running(always, "a"));
    always.supervisor.stop("test");
    await done;
    assert.deepEqual(always.engine.pulls.map((p) => p.ref), [IMAGE]);
  });
});

describe("plan: labels are checked before anything is created", () => {
  test("a bad label names the label and what is wrong", async () => {
    await assert.rejects(
      fakePod({ "pod.component.app": "image: [unclosed" }),
      (error: unknown) => {
        assert.ok(error instanceof PodlikeError);
        assert.equal(error.diagnostics[0]!.code, "BAD_LABEL");
        assert.match(error.diagnostics[0]!.message, /^label pod\.component\.app: is not valid YAML/);
        return true;
      },
    );
  });

  test("a component without an image, a dependency cycle, and no components at all are refused", async () => {
    await assert.rejects(fakePod({ "pod.component.app": JSON.stringify({ command: "x" }) }), /label pod\.component\.app: component "app": image is missing/);
    await assert.rejects(
      fakePod({ "pod.component.a": service({ depends_on: ["b"] }), "pod.component.b": service({ depends_on: ["a"] }) }),
      /dependency cycle detected: a -> b -> a/,
    );
    await assert.rejects(fakePod({}), /the controller has no component labels/);
  });
});

describe("supervisor: more of the pod's rules", () => {
  test("each component is stopped with its own stop_grace_period (Docker's 10 s by default)", async () => {
    const pod = await fakePod({ "pod.component.slow": service({ stop_grace_period: "1m30s" }), "pod.component.quick": service({}) });
    const done = pod.supervisor.run();
    await until(() => running(pod, "slow") && running(pod, "quick"));
    pod.supervisor.stop("test");
    await done;
    assert.deepEqual(
      pod.engine.stops.sort((a, b) => a.name.localeCompare(b.name)),
      [
        { name: "ctl.podlike.quick", timeoutSeconds: 10 },
        { name: "ctl.podlike.slow", timeoutSeconds: 90 },
      ],
    );
  });

  test("the controller links to the sandbox after starting it and before any member starts, and lets go only once all is removed", async () => {
    const pod = await fakePod({
      "pod.init.components": JSON.stringify([{ image: IMAGE, command: "exit 0", "x-podlike-name": "migrate" }]),
      "pod.component.app": service({}),
    });
    const done = pod.supervisor.run();
    await until(() => running(pod, "app"));
    const calls = pod.engine.calls;
    const linked = callIndex(calls, `link ${pod.links[0]!.name}`);
    assert.ok(callIndex(calls, "start ctl.podlike-sandbox") < linked);
    const memberStarts = calls.flatMap((c, i) => (c.startsWith("start ctl.podlike.") ? [i] : []));
    assert.ok(memberStarts.length >= 2 && memberStarts.every((i) => i > linked), `every member starts after the link: ${calls.join(", ")}`);
    assert.deepEqual(pod.links.map((l) => l.open), [true]);
    pod.supervisor.stop("test");
    assert.equal(await done, 0);
    assert.deepEqual(pod.links.map((l) => l.open), [false]);
    assert.deepEqual(leftovers(pod), []);
  });

  test("a sandbox the controller cannot link to ends the start: nothing started, everything removed", async () => {
    const pod = await fakePod({ "pod.component.app": service({}) }, { connectLink: async (name) => { throw new Error(`cannot link to @${name}: connect ECONNREFUSED`); } });
    assert.equal(await pod.supervisor.run(), 1);
    assert.ok(!pod.engine.calls.includes("start ctl.podlike.app"), "the component never started");
    assert.ok(pod.messages.some((m) => /^error: cannot link to the sandbox: cannot link to @podlike-link-/.test(m)), pod.messages.join("\n"));
    assert.deepEqual(leftovers(pod), []);
  });

  test("the sandbox dying ends the pod", async () => {
    const pod = await fakePod({ "pod.component.app": service({}) });
    const done = pod.supervisor.run();
    await until(() => running(pod, "app"));
    pod.engine.exit("ctl.podlike-sandbox", 137);
    assert.equal(await done, 1);
    assert.deepEqual(leftovers(pod), []);
  });

  test("pod.compose.file: the services of a Compose file inside the controller become components", async () => {
    const compose = `services:\n  web:\n    image: ${IMAGE}\n    depends_on: [cache]\n  cache:\n    image: ${IMAGE}\n`;
    const pod = await fakePod({ "pod.compose.file": "/etc/pod/compose.yml" }, { readFile: (path) => (path === "/etc/pod/compose.yml" ? compose : "") });
    const done = pod.supervisor.run();
    await until(() => running(pod, "web"));
    assert.ok(pod.engine.calls.indexOf("start ctl.podlike.cache") < pod.engine.calls.indexOf("start ctl.podlike.web"));
    pod.supervisor.stop("test");
    assert.equal(await done, 0);
    await assert.rejects(
      fakePod({ "pod.compose.file": "/missing.yml" }, { readFile: () => { throw Object.assign(new Error("nope"), { code: "ENOENT" }); } }),
      /label pod\.compose\.file: cannot read \/missing\.yml: ENOENT/,
    );
  });

  test("--volumes gives every component the controller's mounts but the Docker socket; a named volume resolves to the stack's", async () => {
    const mounts = [
      { Type: "volume", Source: "mystack_logs", Target: "/run/podlike/volumes/logs" },
      { Type: "bind", Source: "/var/run/docker.sock", Target: "/var/run/docker.sock" },
    ];
    const pod = await fakePod({ "pod.component.app": service({ volumes: ["logs:/var/log/app"] }) }, { flags: { volumes: true }, mounts });
    const done = pod.supervisor.run();
    await until(() => running(pod, "app"));
    const appMounts = (pod.engine.byName("ctl.podlike.app")!.body.HostConfig!.Mounts as { Source: string; Target: string }[]).map((m) => `${m.Source}:${m.Target}`);
    assert.deepEqual(appMounts.sort(), ["mystack_logs:/run/podlike/volumes/logs", "mystack_logs:/var/log/app"]);
    pod.supervisor.stop("test");
    await done;
  });
});

describe("supervisor: --logs", () => {
  test("each component's frames reach stdout and stderr prefixed with its name", async () => {
    const frame = (stream: number, text: string) => {
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([header, Buffer.from(text)]);
    };
    let pod!: Awaited<ReturnType<typeof fakePod>>;
    pod = await fakePod({ "pod.component.app": service({}), "pod.component.term": service({ tty: true }) }, {
      flags: { logs: true },
      delay: (call) => {
        if (call === "start ctl.podlike.app") for (const f of [frame(1, "out\n"), frame(2, "err\n")]) pod.engine.output("ctl.podlike.app", f);
        if (call === "start ctl.podlike.term") pod.engine.output("ctl.podlike.term", Buffer.from("raw\n"));
      },
    });
    const done = pod.supervisor.run();
    await until(() => running(pod, "app") && running(pod, "term"));
    pod.supervisor.stop("test");
    await done;
    assert.deepEqual(pod.stdout.sort(), ["app | out\n", "term | raw\n"]);
    assert.deepEqual(pod.stderr, ["app | err\n"]);
  });

  test("an init that prints and exits at once, removed by the engine at its exit, still has its output read", async () => {
    const pod = await fakePod(
      {
        "pod.init.components": JSON.stringify([{ image: "busybox", command: ["sh", "-c", "echo migrated; exit 0"], "x-podlike-name": "migrate" }]),
        "pod.component.app": service({}),
      },
      {
        flags: { logs: true },
        autoRemove: true,
        // a controller slower than the init: its exit and removal come before any later read
        delay: (call) => (call.startsWith("logs ") ? new Promise((r) => setTimeout(r, 20)) : undefined),
      },
    );
    const done = pod.supervisor.run();
    await until(() => running(pod, "app"));
    pod.supervisor.stop("test");
    await done;
    assert.deepEqual(pod.stdout, ["migrate | migrated\n"]);
  });
});

describe("supervisor: the engine going away", () => {
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  /** Moves the clock on in steps, letting the supervisor act after each. */
  const pass = async (clock: ManualClock, ms: number) => {
    for (let t = 0; t < ms; t += 250) {
      clock.advance(250);
      await settle();
    }
  };
  const outagePod = async (clock: ManualClock, extra: Parameters<typeof fakePod>[1] = {}) => {
    const pod = await fakePod(
      { "pod.component.app": service({ healthcheck: { test: ["CMD", "check"] } }), "pod.component.job": service({}) },
      { clock, ...extra },
    );
    const done = pod.supervisor.run();
    await until(() => pod.messages.some((m) => m.startsWith("pod running")), "pod running");
    pod.engine.setHealth("ctl.podlike.app", "healthy");
    await until(() => pod.health.at(-1) === "healthy", "healthy");
    return { pod, done };
  };
  const said = (pod: Awaited<ReturnType<typeof fakePod>>, pattern: RegExp) => pod.messages.filter((m) => pattern.test(m)).length;

  test("an outage of 60 s: the pod keeps running and healthy, the loss is said once, and events are followed again afterwards", async () => {
    const clock = new ManualClock();
    const { pod, done } = await outagePod(clock);
    pod.engine.cut();
    await until(() => said(pod, /lost the engine/) === 1, "the loss noticed");
    await pass(clock, 60_000);
    assert.ok(pod.engine.calls.filter((c) => c === "subscribe since").length >= 25, "it kept trying");
    assert.equal(said(pod, /lost the engine/), 1, pod.messages.join("\n"));
    assert.ok(!pod.engine.calls.some((c) => /^(stop|remove) ctl\.podlike/.test(c)), "nothing was torn down");
    assert.ok(running(pod, "app") && running(pod, "job"));
    assert.equal(pod.health.at(-1), "healthy");

    pod.engine.restore();
    await pass(clock, 2_000);
    assert.equal(said(pod, /the engine is back after 6\d\.\d s/), 1, pod.messages.join("\n"));
    assert.equal(pod.engine.subscriptions, 1, "one live subscription, the broken one closed");
    pod.engine.exit("ctl.podlike.job", 3);
    assert.equal(await done, 3);
    assert.deepEqual(leftovers(pod), []);
  });

  test("a component that dies during the outage is handled as its exit once the engine is back", async () => {
    const clock = new ManualClock();
    const { pod, done } = await outagePod(clock);
    pod.engine.cut();
    await until(() => said(pod, /lost the engine/) === 1);
    await pass(clock, 5_000);
    pod.engine.exit("ctl.podlike.job", 5);
    await pass(clock, 5_000);
    assert.ok(!pod.messages.some((m) => /stopping the pod/.test(m)), "nothing known before the engine is back");
    pod.engine.restore();
    await pass(clock, 2_000);
    assert.equal(await done, 5);
    assert.ok(pod.messages.includes("stopping the pod: component job exited with code 5"), pod.messages.join("\n"));
    assert.deepEqual(leftovers(pod), []);
  });

  test("a component that died and was auto-removed during the outage ends the pod with its own exit code, from the replayed events", async () => {
    const clock = new ManualClock();
    const { pod, done } = await outagePod(clock);
    pod.engine.cut();
    await until(() => said(pod, /lost the engine/) === 1);
    pod.engine.exit("ctl.podlike.job", 137);
    pod.engine.vanish("ctl.podlike.job");
    pod.engine.restore();
    await pass(clock, 3_000);
    assert.equal(await done, 137);
    assert.ok(pod.messages.includes("stopping the pod: component job exited with code 137"), pod.messages.join("\n"));
  });

  test("a component removed during the outage ends the pod with 1 and says so", async () => {
    const clock = new ManualClock();
    const { pod, done } = await outagePod(clock);
    pod.engine.cut();
    await until(() => said(pod, /lost the engine/) === 1);
    pod.engine.vanish("ctl.podlike.job");
    pod.engine.restore();
    await pass(clock, 2_000);
    assert.equal(await done, 1);
    assert.ok(pod.messages.includes("stopping the pod: component job is gone: it was removed while the engine was out of reach, its exit code unknown"), pod.messages.join("\n"));
  });

  test("a health change missed during the outage is replayed from where the events stopped", async () => {
    const clock = new ManualClock();
    const { pod, done } = await outagePod(clock);
    pod.engine.cut();
    await until(() => said(pod, /lost the engine/) === 1);
    pod.engine.setHealth("ctl.podlike.app", "unhealthy");
    await pass(clock, 3_000);
    assert.equal(pod.health.at(-1), "healthy");
    pod.engine.restore();
    await pass(clock, 2_000);
    await until(() => pod.health.at(-1) === "unhealthy", "the missed health event");
    pod.supervisor.stop("test");
    await done;
  });

  test("a signal while the engine is away (an engine that stops): exit 0, one line saying so, no engine call", async () => {
    const clock = new ManualClock();
    const { pod, done } = await outagePod(clock);
    pod.engine.cut();
    await until(() => said(pod, /lost the engine/) === 1);
    await pass(clock, 1_000);
    const callsBefore = pod.engine.calls.filter((c) => c !== "subscribe since").length;
    pod.supervisor.stop("received SIGTERM");
    assert.equal(await done, 0);
    assert.equal(pod.engine.calls.filter((c) => c !== "subscribe since").length, callsBefore, "no stop or remove tried against an engine that is gone");
    assert.equal(said(pod, /engine went away/), 1, pod.messages.join("\n"));
    assert.equal(pod.messages.at(-1), "the engine went away; the pod's containers stop with it (received SIGTERM); exit code 0");
    assert.equal(said(pod, /^error:/), 0);
    assert.equal(clock.pending, 0, "no reconnect timer left to keep the process alive");
  });

  test("the engine going away in the middle of the teardown: the controller waits for it, then removes everything", async () => {
    const clock = new ManualClock();
    let pod!: Awaited<ReturnType<typeof fakePod>>;
    const outage = await outagePod(clock, {
      delay: (call) => {
        if (call === "stop ctl.podlike.job" && !pod.engine.calls.includes("remove ctl.podlike.app")) pod.engine.cut();
      },
    });
    pod = outage.pod;
    pod.engine.exit("ctl.podlike.app", 7);
    await until(() => said(pod, /lost the engine/) === 1, "the loss noticed during the teardown");
    await pass(clock, 10_000);
    assert.ok(leftovers(pod).length > 0, "nothing can be removed while the engine is away");
    pod.engine.restore();
    await pass(clock, 2_000);
    assert.equal(await outage.done, 7);
    assert.deepEqual(leftovers(pod), []);
    assert.equal(said(pod, /^error:/), 0);
  });
});
