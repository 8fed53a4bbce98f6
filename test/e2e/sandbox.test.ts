/**
 * The pod's sandbox on a real engine: from inside a component of a default
 * pod nothing of the controller can be reached (no engine socket, no
 * /run/podlike under any /proc/<pid>/root), while components still see and
 * signal each other's processes, and the sandbox, PID 1 of the pod, reaps
 * orphaned processes. The sandbox's link accepts the controller only.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";
import { component, ensureControllerImage, exec, podContainers, removePod, runController, waitFor } from "../controller/e2e-support.js";

interface ProcessStat {
  pid: number;
  state: string;
  ppid: number;
  args: string;
}

/** Every process a component sees: pid, state, parent and command line, from /proc. */
function processes(container: string): ProcessStat[] {
  const out = exec(container, 'for d in /proc/[0-9]*; do s=$(cat $d/stat 2>/dev/null) || continue; a=$(tr "\\0" " " < $d/cmdline 2>/dev/null); echo "$s|$a"; done');
  return out
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [stat, args = ""] = line.split("|");
      const fields = stat!.slice(stat!.lastIndexOf(")") + 2).split(" ");
      return { pid: Number(stat!.split(" ")[0]), state: fields[0]!, ppid: Number(fields[1]), args: args.trim() };
    });
}

describe("pod sandbox: a component cannot reach the controller", e2eOptions(), () => {
  const name = testName("sandbox");
  let id = "";

  before(async () => {
    ensureControllerImage();
    id = runController(name, {
      labels: {
        "pod.component.app": component([
          `image: ${BUSYBOX}`,
          // records SIGHUP in a file; the loop keeps the shell (not sleep) in the foreground between naps
          `command: ["sh", "-c", "trap 'echo hup > /tmp/got-hup' HUP; echo hup-target > /dev/null; while true; do sleep 1; done"]`,
        ]),
        "pod.component.orphaner": component([
          `image: ${BUSYBOX}`,
          // the subshell exits at once, leaving its "sleep 3601" without a parent (until the test ends it)
          `command: ["sh", "-c", "(sleep 3601 &); exec sleep 3600"]`,
          "init: true",
        ]),
      },
    });
    await waitFor("the pod running", () => podContainers(id).filter((c) => c.state === "running").length === 3, 180_000);
  });

  after(() => removePod(name, id));

  test("no /proc/<pid>/root leads to an engine socket or to /run/podlike", () => {
    const script = [
      "for r in /proc/[0-9]*/root; do",
      '  [ -e "$r/bin" ] || [ -e "$r/usr" ] && echo "readable $r"',
      '  for p in var/run/docker.sock run/docker.sock run/podlike; do [ -e "$r/$p" ] && echo "FOUND $r/$p"; done',
      "done; true",
    ].join("\n");
    const out = exec(`${name}.podlike.app`, script);
    assert.doesNotMatch(out, /FOUND/);
    // the check looked somewhere: the other component's and the sandbox's roots are readable from here
    assert.ok(out.split("\n").filter((l) => l.startsWith("readable")).length >= 3, out);
    // while the controller itself holds both (its image has node, no shell)
    const held = docker(["exec", name, "node", "-e", "const fs = require('fs'); console.log(['/var/run/docker.sock', '/run/podlike/health.json'].filter((p) => fs.existsSync(p)).join(' '))"]);
    assert.equal(held, "/var/run/docker.sock /run/podlike/health.json");
  });

  test("PID 1 of the pod is the sandbox's pause program, and the controller's node is not among the pod's processes", () => {
    const all = processes(`${name}.podlike.app`);
    assert.match(all.find((p) => p.pid === 1)?.args ?? "", /^\/usr\/local\/bin\/podlike-pause podlike-link-[0-9a-f]{24}$/);
    assert.ok(!all.some((p) => /podlike controller|node/.test(p.args)), JSON.stringify(all));
  });

  test("the sandbox's link to the controller is taken: no socket of the pod's network namespace listens for another", () => {
    // /proc/net/unix of the shared network namespace: Flags 00010000 marks a listening socket
    const links = exec(`${name}.podlike.app`, "cat /proc/net/unix").split("\n").filter((line) => line.includes("@podlike-link-"));
    assert.ok(links.length > 0, "the link is there, connected");
    assert.deepEqual(links.filter((line) => line.trim().split(/\s+/)[3] === "00010000"), []);
  });

  test("one component signals another by pid through the shared PID namespace", async () => {
    const target = processes(`${name}.podlike.orphaner`).find((p) => p.args.includes("got-hup"));
    assert.ok(target, "the app's shell is visible from the other component");
    exec(`${name}.podlike.orphaner`, `kill -HUP ${target.pid}`);
    assert.equal(await waitFor("the HUP trap", () => exec(`${name}.podlike.app`, "cat /tmp/got-hup 2>/dev/null || true") || undefined, 10_000), "hup");
  });

  test("an orphaned grandchild is adopted by the sandbox and reaped when it exits", async () => {
    const orphan = await waitFor("the orphaned sleep", () => processes(`${name}.podlike.app`).find((p) => p.args === "sleep 3601"), 60_000);
    assert.equal(orphan.ppid, 1, "adopted by PID 1, the sandbox");
    // ended from another component: only PID 1 can reap it, else it stays a zombie
    exec(`${name}.podlike.app`, `kill ${orphan.pid}`);
    await waitFor(
      `process ${orphan.pid} reaped (not a zombie)`,
      () => !processes(`${name}.podlike.app`).some((p) => p.pid === orphan.pid),
      60_000,
      500,
    );
    assert.deepEqual(processes(`${name}.podlike.app`).filter((p) => p.state === "Z"), []);
  });
});
