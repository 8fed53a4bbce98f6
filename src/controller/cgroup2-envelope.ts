/**
 * The pod's resource envelope on cgroup v2 with the cgroupfs driver. The
 * controller cannot do it itself: its /sys/fs/cgroup is read-only and, in its
 * private cgroup namespace, shows only its own cgroup. So it runs one
 * short-lived container of its own image in the node's cgroup namespace with
 * the node's cgroup hierarchy mounted and the node's PID namespace (where
 * the controller's processes have numbers; cgroup2-setup.ts does the work there),
 * waits for it and removes it. That container is never part of the pod: no
 * component sees it or anything it saw.
 */
import type { CgroupSetup, ContainerInfo, CreateBody, Engine } from "../engine/container-engine.js";
import { statusOf } from "../engine/errors.js";
import { cgroupSetupContainerName, ownershipLabels } from "../labels/protocol.js";
import type { Envelope } from "./envelope.js";
import { HOST_CGROUP } from "./cgroup2-setup.js";
import { FrameDemuxer } from "./logs.js";

/** Is /proc/self/cgroup that of a cgroup v2 node (one "0::" line, no v1 hierarchy)? */
export function isUnifiedOnly(procSelfCgroup: string | undefined): boolean {
  const lines = (procSelfCgroup ?? "").split("\n").filter(Boolean);
  return lines.length > 0 && lines.every((l) => l.startsWith("0::"));
}

/** CgroupnsMode, with which the setup container sees the node's cgroup paths, came with Engine API 1.41. */
const CGROUPNS_API = "1.41";

const olderThan = (version: string, than: string): boolean => {
  const [a = 0, b = 0] = version.split(".").map(Number);
  const [c = 0, d = 0] = than.split(".").map(Number);
  return a < c || (a === c && b < d);
};

export function setupCreateBody(controller: ContainerInfo): { name: string; body: CreateBody } {
  return {
    name: cgroupSetupContainerName(controller.name),
    body: {
      Image: controller.imageId,
      Entrypoint: ["node", "/app/bin/podlike", "controller", "cgroup-setup"],
      Cmd: [controller.id, controller.cgroupParent],
      Healthcheck: { Test: ["NONE"] },
      NetworkDisabled: true,
      Labels: ownershipLabels(controller.id, "cgroup-setup", "cgroup-setup"),
      HostConfig: {
        CgroupnsMode: "host",
        // cgroup.procs names processes of other PID namespaces as 0: the controller's must be visible to be moved
        PidMode: "host",
        NetworkMode: "none",
        ReadonlyRootfs: true,
        Mounts: [{ Type: "bind", Source: "/sys/fs/cgroup", Target: HOST_CGROUP }],
      },
    },
  };
}

/**
 * Seals the envelope, or says why it cannot be: the systemd driver makes
 * scopes, not paths (the ceiling stays there), an engine too old to run the
 * setup in the node's cgroup namespace, or the setup's own failure.
 */
export async function sealV2Envelope(engine: Engine, controller: ContainerInfo, asked: Promise<CgroupSetup>, apiVersion: string): Promise<Envelope> {
  let cgroup: CgroupSetup;
  try {
    cgroup = await asked;
  } catch (error) {
    return { kind: "ceiling", reason: `the engine did not say which cgroup driver it uses: ${(error as Error).message}` };
  }
  if (cgroup.driver !== "cgroupfs") {
    return { kind: "ceiling", reason: `the engine uses the ${cgroup.driver} cgroup driver on cgroup v2, which cannot create containers inside another container's cgroup` };
  }
  if (olderThan(apiVersion, CGROUPNS_API)) {
    return { kind: "ceiling", reason: `on cgroup v2 the envelope needs Engine API ${CGROUPNS_API} (cgroup namespaces), and this engine speaks ${apiVersion}` };
  }
  try {
    return await runSetup(engine, controller);
  } catch (error) {
    return { kind: "ceiling", reason: `the cgroup v2 setup could not run: ${(error as Error).message}` };
  }
}

async function runSetup(engine: Engine, controller: ContainerInfo): Promise<Envelope> {
  const { name, body } = setupCreateBody(controller);
  let id: string;
  try {
    id = await engine.createContainer(name, body);
  } catch (error) {
    if (statusOf(error) !== 409) throw error;
    // left by an earlier run of this controller, restarted in place
    await engine.removeContainer(name, { force: true });
    id = await engine.createContainer(name, body);
  }
  try {
    const output = collectOutput(await engine.attachOutput(id));
    const exited = engine.waitContainer(id, { nextExit: true });
    exited.catch(() => undefined);
    await engine.startContainer(id);
    const code = await exited;
    const { stdout, stderr } = await output;
    const sealed = code === 0 ? parseSealed(stdout) : undefined;
    if (!sealed) return { kind: "ceiling", reason: `the cgroup v2 setup failed (exit ${code}): ${stderr.trim().split("\n").pop() || "no message"}` };
    return { kind: "nested", cgroupParent: sealed };
  } finally {
    await engine.removeContainer(id, { force: true }).catch(() => undefined);
  }
}

/** The setup prints one JSON line: {"cgroup": "/docker/<id>", "controllers": [...]}. */
function parseSealed(stdout: string): string | undefined {
  try {
    const cgroup = (JSON.parse(stdout.trim()) as { cgroup?: unknown }).cgroup;
    return typeof cgroup === "string" && cgroup.startsWith("/") ? cgroup : undefined;
  } catch {
    return undefined;
  }
}

function collectOutput(stream: NodeJS.ReadableStream): Promise<{ stdout: string; stderr: string }> {
  const demuxer = new FrameDemuxer();
  const out = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stream.on("data", (chunk: Buffer) => {
    for (const frame of demuxer.push(chunk)) out[frame.stream === 2 ? "stderr" : "stdout"].push(frame.payload);
  });
  return new Promise((resolve) => {
    const done = () => resolve({ stdout: Buffer.concat(out.stdout).toString("utf8"), stderr: Buffer.concat(out.stderr).toString("utf8") });
    stream.on("end", done);
    stream.on("close", done);
    stream.on("error", done);
  });
}
