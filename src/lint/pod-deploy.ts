import type { Diagnostic, TreePath } from "../diagnostics/index.js";
import { normalizeLabels } from "../compose/normalize.js";
import { finding, isMapping, membersOf, quote, serviceOf, type Rule } from "./context.js";

interface Leaf {
  /** deploy.resources.limits.memory */
  key: string;
  value: string;
  path: TreePath;
}

/** The settings of a deploy mapping, one per leaf; labels compare per label, lists as a whole. */
function leaves(deploy: Record<string, unknown>, path: TreePath, prefix = "deploy"): Leaf[] {
  const out: Leaf[] = [];
  for (const [key, value] of Object.entries(deploy)) {
    const here = [...path, key];
    const name = `${prefix}.${key}`;
    if (key === "labels" && (isMapping(value) || Array.isArray(value))) {
      const labels = normalizeLabels(value);
      const listed = Array.isArray(value) ? value.map((item) => String(item).split("=")[0]) : [];
      for (const [label, text] of Object.entries(labels)) {
        const index = listed.indexOf(label);
        out.push({ key: `${name}.${label}`, value: text, path: Array.isArray(value) ? [...here, index] : [...here, label] });
      }
    } else if (isMapping(value)) out.push(...leaves(value, here, name));
    else out.push({ key: name, value: typeof value === "string" ? value : JSON.stringify(value), path: here });
  }
  return out;
}

/**
 * The members' deploy settings are merged with the pod's own into the pod's
 * one service: a setting given twice must agree. Resource limits are the
 * exception: they stay with each member's container. Numbers and their text
 * (`2`, `"2"` after interpolation) agree.
 */
export const deployConflict: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const pod of ctx.pods) {
    const seen = new Map<string, { owner: string; value: string }>();
    const sources: { owner: string; deploy: unknown; path: TreePath; member?: boolean }[] = [
      { owner: `pod ${quote(pod.name)}`, deploy: pod.deploy, path: [...pod.path, "deploy"] },
    ];
    const listed = new Set<string>();
    for (const member of membersOf(pod, ctx)) {
      if (listed.has(member.name)) continue;
      listed.add(member.name);
      sources.push({ owner: `service ${quote(member.name)}`, deploy: serviceOf(ctx, member.name)?.deploy, path: ["services", member.name, "deploy"], member: true });
    }
    for (const source of sources) {
      if (!isMapping(source.deploy)) continue;
      for (const leaf of leaves(source.deploy, source.path)) {
        // a member's limits stay on its own container (convert keeps them there), so members may differ
        if (source.member && leaf.key.startsWith("deploy.resources.limits.")) continue;
        const first = seen.get(leaf.key);
        if (!first) {
          seen.set(leaf.key, { owner: source.owner, value: leaf.value });
          continue;
        }
        if (first.value === leaf.value) continue;
        out.push(
          finding(
            ctx,
            "DEPLOY_CONFLICT",
            "error",
            `pod ${quote(pod.name)}: ${leaf.key} is ${leaf.value} in ${source.owner} but ${first.value} in ${first.owner}; the pod is deployed as one service`,
            leaf.path,
            `give ${leaf.key} one value: set it once under x-pods.${pod.name}.deploy and remove it from the members`,
          ),
        );
      }
    }
  }
  return out;
};
