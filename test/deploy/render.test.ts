import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Chalk } from "chalk";
import { progressRenderer, renderPlan } from "../../src/cli/commands/deploy.js";
import { renderPs } from "../../src/cli/commands/ps.js";
import type { Plan } from "../../src/deploy/plan.js";
import type { CliIO } from "../../src/cli/io.js";

const plain = new Chalk({ level: 0 });

function io(isTTY: boolean) {
  let out = "";
  const value: CliIO = {
    stdout: { write: (s: string) => (out += s), isTTY },
    stderr: { write: () => true },
    readStdin: async () => "",
    env: {},
    cwd: "/",
  };
  return { io: value, output: () => out };
}

describe("deploy output", () => {
  test("the plan lists every object, then the diff of each changed service", () => {
    const plan = {
      steps: [
        { kind: "network", name: "st_default", action: "unchanged" },
        { kind: "config", name: "st_conf-0123456789", action: "create" },
        { kind: "service", name: "st_web", action: "update", diff: "===\n--- st_web (live)\n+++ st_web (desired)\n@@ -1 +1 @@\n-A=1\n+A=2\n" },
        { kind: "service", name: "st_old", action: "remove", note: "no longer declared" },
      ],
    } as unknown as Plan;
    assert.equal(
      renderPlan(plan, "st", plain),
      [
        "Plan for stack st:",
        "  unchanged network st_default",
        "  create    config  st_conf-0123456789",
        "  update    service st_web",
        "  remove    service st_old (no longer declared)",
        "",
        "--- st_web (live)",
        "+++ st_web (desired)",
        "@@ -1 +1 @@",
        "-A=1",
        "+A=2",
        "",
      ].join("\n"),
    );
  });

  test("progress off a terminal: a plain line whenever a service's state changes", () => {
    const { io: cli, output } = io(false);
    const render = progressRenderer(cli, plain);
    const web = { id: "1", name: "st_web", running: 0, desired: 1, state: "starting" as const };
    render([web]);
    render([web]);
    render([{ ...web, running: 1, state: "converged" }]);
    assert.equal(output(), "st_web: 0/1 running, starting\nst_web: 1/1 running, converged\n");
  });

  test("progress on a terminal: the lines are redrawn in place", () => {
    const { io: cli, output } = io(true);
    const render = progressRenderer(cli, plain);
    const web = { id: "1", name: "st_web", running: 0, desired: 1, state: "starting" as const };
    render([web]);
    render([{ ...web, running: 1, state: "converged" }]);
    assert.equal(output(), "\x1b[2Kst_web: 0/1 running, starting\n\x1b[1A\x1b[2Kst_web: 1/1 running, converged\n");
  });
});

describe("ps output", () => {
  test("services, their tasks, and a local pod's components", () => {
    const text = renderPs(
      [
        {
          name: "st_app", kind: "pod", mode: "replicated", running: 1, desired: 1, image: "podlike/controller:local",
          tasks: [{ id: "t1", name: "st_app.1", node: "vm", desiredState: "running", state: "running", components: [{ name: "web", containerId: "c1", state: "running", status: "Up 3 seconds" }] }],
        },
      ],
      plain,
    );
    assert.equal(
      text,
      [
        "NAME        KIND       NODE  DESIRED     STATE    IMAGE / ERROR",
        "st_app      pod              replicated  1/1      podlike/controller:local",
        "  st_app.1  task       vm    running     running",
        "    web     component  vm                running  Up 3 seconds",
        "",
      ].join("\n"),
    );
  });
});
