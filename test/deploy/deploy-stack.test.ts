import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadProject } from "../../src/compose/load.js";
import { deployStack } from "../../src/deploy/deploy-stack.js";
import { stackFromModel } from "../../src/deploy/stack-input.js";
import { PodlikeError } from "../../src/diagnostics/errors.js";
import { folderWith } from "./support.js";
import { FakeSwarm } from "../support/fake-swarm.js";

function engineWith(networks: { Id: string; Name: string; Labels: Record<string, string> }[]): FakeSwarm {
  const swarm = new FakeSwarm();
  for (const n of networks) swarm.networks.set(n.Id, { id: n.Id, name: n.Name, scope: "swarm", labels: n.Labels });
  return swarm;
}

describe("deploy checks before changing anything", () => {
  test("a network of the stack's name that no stack created is reported at its key in the file", async () => {
    const dir = folderWith({ "compose.yaml": "services:\n  app:\n    image: busybox\n    networks: [front]\nnetworks:\n  front: {}\n" });
    const loaded = await loadProject({ files: ["compose.yaml"], cwd: dir, env: {} });
    const input = await stackFromModel(loaded.value!);
    const engine = engineWith([{ Id: "n1", Name: "st_front", Labels: {} }]);
    await assert.rejects(
      deployStack(engine, { stack: "st", compose: input.value!, baseDir: dir, variables: {}, prune: false, dryRun: true, detach: false }),
      (e: unknown) => {
        assert.ok(e instanceof PodlikeError);
        const [finding] = e.diagnostics;
        assert.match(finding!.message, /network st_front exists but was not created by a stack/);
        assert.deepEqual([finding!.at?.line, finding!.at?.col], [6, 3]);
        assert.match(finding!.hint!, /external: true/);
        return true;
      },
    );
  });
});
