import { parseComposeYaml } from "../../src/compose/parse-yaml.js";
import type { ComposeModel } from "../../src/compose/model.js";

/** A model straight from one YAML text (no interpolation or merging), for rule tests. */
export function modelFromYaml(text: string, file = "/project/compose.yml"): ComposeModel {
  const parsed = parseComposeYaml(text, file);
  if (!parsed.value) throw new Error(`test YAML does not parse: ${parsed.diagnostics.map((d) => d.message).join("; ")}`);
  return { raw: parsed.value, files: [file], projectDir: "/project", variables: {} };
}

/** Drops the leading indentation of a template literal so YAML can be written inline. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, "");
  const indent = Math.min(...text.split("\n").filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return text.split("\n").map((l) => l.slice(indent)).join("\n");
}
