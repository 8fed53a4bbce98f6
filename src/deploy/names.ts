import { createHash } from "node:crypto";
import { UsageError } from "../diagnostics/errors.js";
import { LABELS } from "../labels/protocol.js";
import type { ListFilter } from "../engine/swarm.js";

/** The labels `docker stack` reads: with them, `docker stack ls/services/ps/rm` see a podlike stack as their own. */
export const STACK_NAMESPACE_LABEL = "com.docker.stack.namespace";
export const STACK_IMAGE_LABEL = "com.docker.stack.image";
export const CONTENT_HASH_LABEL = LABELS.contentHash;

/** The list filter that selects the services, networks, configs, secrets (and tasks) of a stack. */
export function stackFilter(stack: string): ListFilter {
  return { label: [`${STACK_NAMESPACE_LABEL}=${stack}`] };
}

const STACK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function checkStackName(stack: string): void {
  if (!STACK_NAME.test(stack)) {
    throw new UsageError(`invalid stack name "${stack}": use letters, digits, "_", "." and "-", starting with a letter or digit`);
  }
}

/** `<stack>_<name>`, the name docker stack deploy gives every object it creates. */
export function scopedName(stack: string, name: string): string {
  return `${stack}_${name}`;
}

/** A short, stable fingerprint of a config's or secret's content. */
export function contentHash(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex").slice(0, 10);
}
