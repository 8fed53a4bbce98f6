import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { decodeLabels } from "../../src/labels/protocol.js";
import { loadProject } from "../../src/compose/load.js";
import { readPods } from "../../src/pod/group.js";
import { enabledProfiles, isServiceActive } from "../../src/compose/profiles.js";
import { CONVERT_FIXTURES, caseArgs, convertCases } from "./support.js";

/**
 * The controller reads what convert writes: decoding the labels of every
 * pod service of every golden stack gives back the pod's members, in order,
 * without a problem, and copies only for those members.
 */
describe("the labels of every converted pod decode to its members", () => {
  for (const name of convertCases()) {
    const dir = join(CONVERT_FIXTURES, name);
    const stackFile = join(dir, "expected", "stack.yml");
    if (!existsSync(stackFile)) continue;
    it(name, async () => {
      const stack = parse(readFileSync(stackFile, "utf8"), { version: "1.1" }) as { services: Record<string, { labels?: Record<string, string> }> };
      const files = caseArgs(dir).filter((a, i, all) => !a.startsWith("-") && !(all[i - 1] ?? "").startsWith("--controller"));
      const loaded = await loadProject({ files, cwd: dir, env: {} });
      assert.ok(loaded.value);
      const services = loaded.value.raw.services as Record<string, unknown>;
      const enabled = enabledProfiles(loaded.value.variables);
      const active = (member: string) => isServiceActive(services[member], enabled);
      for (const pod of readPods(loaded.value.raw)) {
        const components = pod.components.filter(active);
        if (!components.length) {
          assert.equal(stack.services[pod.name], undefined, `pod ${pod.name} has no active component`);
          continue;
        }
        const labels = Object.fromEntries(
          Object.entries(stack.services[pod.name]?.labels ?? {}).map(([k, v]) => [k, v.replaceAll("$$", "$")]),
        );
        const { model, problems } = decodeLabels(labels);
        assert.deepEqual(problems, []);
        assert.deepEqual(Object.keys(model.components).sort(), [...components].sort());
        assert.deepEqual(model.init.map((i) => i.name), pod.init.filter(active));
        for (const member of Object.keys(model.copies)) assert.ok(components.includes(member) || pod.init.includes(member), member);
        for (const [member, service] of Object.entries(model.components)) {
          assert.equal(service.image, (services[member] as { image?: string }).image, `image of ${member}`);
          for (const key of ["ports", "networks", "configs", "secrets", "env_file", "build", "profiles"]) {
            assert.equal(key in service, false, `${member} keeps ${key}`);
          }
        }
      }
    });
  }
});
