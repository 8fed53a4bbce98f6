import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { POD_UNSUPPORTED_KEYS, lintModel } from "../../src/lint/rules.js";
import { modelFromYaml } from "../support/compose-model.js";

const schema = JSON.parse(readFileSync(fileURLToPath(new URL("../../schemas/compose.schema.json", import.meta.url)), "utf8"));

describe("POD_UNSUPPORTED_KEYS", () => {
  it("names only real Compose service keys, each with a reason", () => {
    const serviceKeys = Object.keys(schema.definitions.service.properties);
    for (const [key, reason] of Object.entries(POD_UNSUPPORTED_KEYS)) {
      assert.ok(serviceKeys.includes(key), `${key} is a Compose service key`);
      assert.ok(reason.length > 20, `${key} has a reason`);
    }
  });

  it("is exactly what lint warns about in a pod member, at each key, and never outside pods", () => {
    const keys = Object.keys(POD_UNSUPPORTED_KEYS);
    const body = keys.map((k) => `    ${k}: ${k === "links" || k === "dns_opt" || k === "external_links" ? "[x]" : k === "scale" ? 1 : "x"}`).join("\n");
    const text = `services:\n  a:\n    image: i\n${body}\n  b:\n    image: i\n${body}\nx-pods:\n  p:\n    components: [a]\n`;
    const found = lintModel(modelFromYaml(text)).filter((d) => d.code === "UNSUPPORTED_KEY");
    assert.deepEqual(
      found.map((d) => [d.severity, d.path?.join("."), d.at?.line, d.at?.col]),
      keys.map((k, i) => ["warning", `services.a.${k}`, 4 + i, 5]),
    );
  });
});
