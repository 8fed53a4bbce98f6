/**
 * One pod started and stopped again and again on a worker: nothing leaks on the node
 * (containers, networks, volumes) and the controller's memory stays level.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { clusterOptions, CONTROLLER_IMAGE, dockerOn, figure, testName, waitFor } from "./lab.js";

const NODE = 2;
const CYCLES = Number(process.env.PODLIKE_CLUSTER_CYCLES) || 100;

function rssKiB(pid: string): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) : NaN;
}

describe("cluster: start/stop cycles of one pod", clusterOptions(), () => {
  const name = testName("ccyc");
  after(() => {
    dockerOn(NODE, ["rm", "-f", "-v", name], { allowFail: true });
    const left = dockerOn(NODE, ["ps", "-aq", "--filter", `name=${name}.podlike`], { allowFail: true });
    if (left) dockerOn(NODE, ["rm", "-f", "-v", ...left.split("\n")], { allowFail: true });
  });

  test(`${CYCLES} start/stop cycles leak no container, network or volume, and the controller's RSS does not grow`, async () => {
    const snapshot = () => ({
      containers: dockerOn(NODE, ["ps", "-aq"]).split("\n").filter(Boolean).sort(),
      networks: dockerOn(NODE, ["network", "ls", "-q"]).split("\n").filter(Boolean).sort(),
      volumes: dockerOn(NODE, ["volume", "ls", "-q"]).split("\n").filter(Boolean).sort(),
    });
    const before = snapshot();
    const component = (command: string) => `image: podlike-test/busybox:latest\ncommand: ${command}\ninit: true\nstop_grace_period: 2s\nvolumes: [/scratch]\n`;
    dockerOn(NODE, [
      "create", "--name", name, "-v", "/var/run/docker.sock:/var/run/docker.sock",
      "--label", `pod.component.server=${component('["sh", "-c", "exec httpd -f -p 3000"]')}`,
      "--label", `pod.component.idle=${component("sleep 86400")}`,
      CONTROLLER_IMAGE,
    ]);
    const podContainers = () => dockerOn(NODE, ["ps", "-a", "--filter", `name=${name}.podlike`, "--format", "{{.State}}"]).split("\n").filter(Boolean);
    const rss: number[] = [];
    const started = Date.now();
    for (let i = 0; i < CYCLES; i++) {
      dockerOn(NODE, ["start", name]);
      await waitFor(`cycle ${i + 1}: the pod running`, () => podContainers().filter((s) => s === "running").length === 3, 60_000, 100);
      rss.push(rssKiB(dockerOn(NODE, ["inspect", "--format", "{{.State.Pid}}", name])));
      dockerOn(NODE, ["stop", "-t", "15", name]);
      await waitFor(`cycle ${i + 1}: the pod removed`, () => podContainers().length === 0, 60_000, 100);
    }
    figure(`${CYCLES} start/stop cycles`, `${((Date.now() - started) / 1000 / CYCLES).toFixed(1)} s per cycle`);
    dockerOn(NODE, ["rm", "-v", name]);
    const afterAll = snapshot();
    const leaked = {
      containers: afterAll.containers.filter((c) => !before.containers.includes(c)),
      networks: afterAll.networks.filter((n) => !before.networks.includes(n)),
      volumes: afterAll.volumes.filter((v) => !before.volumes.includes(v)),
    };
    figure("leaked containers / networks / volumes", `${leaked.containers.length} / ${leaked.networks.length} / ${leaked.volumes.length}`);
    assert.deepEqual(leaked, { containers: [], networks: [], volumes: [] });
    // each start is a new controller process: compare the running pod's controller early and late
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const tenth = Math.max(1, Math.floor(CYCLES / 10));
    const early = median(rss.slice(0, tenth));
    const late = median(rss.slice(-tenth));
    figure("controller RSS with the pod running, median of first / last tenth", `${(early / 1024).toFixed(1)} MiB / ${(late / 1024).toFixed(1)} MiB (ratio ${(late / early).toFixed(2)})`);
    assert.ok(rss.every(Number.isFinite), "RSS read each cycle");
    assert.ok(late <= early * 1.2, `RSS grew from ${early} KiB to ${late} KiB`);
  });
});
