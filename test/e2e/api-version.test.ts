/**
 * On this engine (API 1.41, older than healthcheck.start_interval's 1.44 and
 * annotations' 1.43) the controller leaves both out and says so once for the
 * pod, and deploy warns at the key naming the engine's version.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUSYBOX, docker, e2eOptions, testName } from "../support/engine.js";
import { main } from "../../src/cli/main.js";
import { component, controllerLogs, ensureControllerImage, podContainers, removePod, runController, waitFor } from "../controller/e2e-support.js";

const engineApi = () => docker(["version", "--format", "{{.Server.APIVersion}}"]);
const HEALTHCHECK = ["healthcheck:", '  test: ["CMD", "true"]', "  interval: 5s", "  start_interval: 1s"];

describe("settings newer than the engine's API version", e2eOptions(), () => {
  const name = testName("ctl-apiver");
  const dir = mkdtempSync(join(tmpdir(), "podliketest-apiver-"));
  let id = "";

  before(() => {
    ensureControllerImage();
    id = runController(name, {
      labels: {
        "pod.component.app": component([`image: ${BUSYBOX}`, 'command: ["sleep", "3600"]', ...HEALTHCHECK]),
        "pod.component.sidecar": component([`image: ${BUSYBOX}`, 'command: ["sleep", "3600"]', ...HEALTHCHECK, "annotations: {com.example.owner: edge}"]),
      },
    });
  });

  after(() => {
    removePod(name, id);
    rmSync(dir, { recursive: true, force: true });
  });

  test("the controller leaves start_interval out of both components and says so in one line", async (t) => {
    const api = engineApi();
    if (Number(api.split(".")[1]) >= 44) return t.skip(`this engine speaks API ${api}, which has start_interval`);
    // an engine this old drops a StartInterval it is sent, so the controller's word is what shows
    await waitFor("both components", () => podContainers(id).filter((c) => c.state === "running" && /\.(app|sidecar)$/.test(c.name)).length === 2, 60_000);
    const logs = controllerLogs(name);
    const lines = (logs.stdout + logs.stderr).split("\n").filter((l) => l.includes("start_interval"));
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(lines[0]!, new RegExp(`healthcheck\\.start_interval is ignored \\("app", "sidecar"\\): it needs Engine API 1\\.44, and this engine speaks ${api.replace(".", "\\.")}`));
  });

  test("the controller leaves annotations out of the member that has them and says so in one line", async (t) => {
    const api = engineApi();
    if (Number(api.split(".")[1]) >= 43) return t.skip(`this engine speaks API ${api}, which has annotations`);
    await waitFor("both components", () => podContainers(id).filter((c) => c.state === "running" && /\.(app|sidecar)$/.test(c.name)).length === 2, 60_000);
    const logs = controllerLogs(name);
    const lines = (logs.stdout + logs.stderr).split("\n").filter((l) => l.includes("annotations"));
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(lines[0]!, new RegExp(`annotations is ignored \\("sidecar"\\): it needs Engine API 1\\.43, and this engine speaks ${api.replace(".", "\\.")}`));
  });

  test("deploy warns at the key, naming the engine's version", async (t) => {
    const api = engineApi();
    if (Number(api.split(".")[1]) >= 44) return t.skip(`this engine speaks API ${api}, which has start_interval`);
    writeFileSync(join(dir, "compose.yml"), `services:\n  app:\n    image: ${BUSYBOX}\n    ${HEALTHCHECK.join("\n    ")}\n`);
    let stdout = "";
    let stderr = "";
    const code = await main(["deploy", "--dry-run", "-c", "compose.yml", testName("apiver")], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      readStdin: async () => "",
      env: { ...process.env, NO_COLOR: "1" },
      cwd: dir,
    });
    assert.equal(code, 0, stderr);
    assert.match(stdout + stderr, new RegExp(`compose\\.yml:7:\\d+: warning: service "app": healthcheck\\.start_interval is ignored: it needs Engine API 1\\.44 .*this engine speaks API ${api.replace(".", "\\.")}`));
  });
});
