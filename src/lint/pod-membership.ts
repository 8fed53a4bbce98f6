import type { Diagnostic } from "../diagnostics/index.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { finding, hasService, isMapping, membersOf, quote, servicesOf, type Rule } from "./context.js";
import { PODS_KEY } from "../compose/model.js";

/** Every member names a service of the file. */
export const unknownMember: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  const names = Object.keys(servicesOf(ctx));
  for (const pod of ctx.pods) {
    for (const member of membersOf(pod, ctx)) {
      if (hasService(ctx, member.name)) continue;
      const suggestion = didYouMean(member.name, names);
      const kind = member.list === "init" ? "init component" : "component";
      out.push(
        finding(
          ctx,
          "UNKNOWN_MEMBER",
          "error",
          `pod ${quote(pod.name)}: ${kind} ${quote(member.name)} is not a service of this project${suggestion ? ` (did you mean ${quote(suggestion)}?)` : ""}`,
          member.path,
          suggestion ? `rename it to ${quote(suggestion)}` : `define a service ${quote(member.name)} under services:, or remove it from ${member.list}`,
        ),
      );
    }
  }
  return out;
};

/** A service belongs to one pod, once. */
export const memberListedOnce: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  const owner = new Map<string, string>();
  for (const pod of ctx.pods) {
    const seen = new Map<string, "init" | "components">();
    for (const member of membersOf(pod, ctx)) {
      const earlier = seen.get(member.name);
      if (earlier !== undefined) {
        const message =
          earlier === member.list
            ? `pod ${quote(pod.name)}: ${quote(member.name)} is listed twice in ${member.list}`
            : `pod ${quote(pod.name)}: ${quote(member.name)} is listed both in init and in components`;
        const hint =
          earlier === member.list
            ? "remove the second entry"
            : "an init component runs to completion before the components start: keep it in one of the two lists";
        out.push(finding(ctx, "MEMBER_TWICE", "error", message, member.path, hint));
        continue;
      }
      seen.set(member.name, member.list);
      const otherPod = owner.get(member.name);
      if (otherPod !== undefined && otherPod !== pod.name) {
        out.push(
          finding(
            ctx,
            "MEMBER_IN_TWO_PODS",
            "error",
            `service ${quote(member.name)} is a member of pod ${quote(otherPod)} and of pod ${quote(pod.name)}`,
            member.path,
            `a service belongs to one pod: remove it from pod ${quote(pod.name)} or from pod ${quote(otherPod)} (copy the service under another name if both need it)`,
          ),
        );
      } else owner.set(member.name, pod.name);
    }
  }
  return out;
};

/** A pod runs at least one component. */
export const emptyPod: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  const declared = ctx.model.raw[PODS_KEY];
  if (!isMapping(declared)) return out;
  for (const pod of ctx.pods) {
    const entry = declared[pod.name];
    if (!isMapping(entry)) continue;
    const components = entry.components;
    if (components === undefined || (Array.isArray(components) && components.length === 0)) {
      const path = components === undefined ? pod.path : [...pod.path, "components"];
      out.push(
        finding(
          ctx,
          "EMPTY_POD",
          "error",
          `pod ${quote(pod.name)} has no components`,
          path,
          `list the services that run together under x-pods.${pod.name}.components, or remove the pod`,
          components === undefined ? "key" : "value",
        ),
      );
    }
  }
  return out;
};

/** The pod becomes a service of its own name: that name must be free, or one of its own members (which it replaces). */
export const podNameCollision: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const pod of ctx.pods) {
    if (!hasService(ctx, pod.name)) continue;
    if (membersOf(pod, ctx).some((m) => m.name === pod.name)) continue;
    out.push(
      finding(
        ctx,
        "POD_NAME_COLLISION",
        "error",
        `pod ${quote(pod.name)} has the name of service ${quote(pod.name)}, which is not in the pod`,
        pod.path,
        `rename the pod, or add ${quote(pod.name)} to its components (the pod's service then takes its place)`,
        "key",
      ),
    );
  }
  return out;
};
