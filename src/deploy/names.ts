import { createRequire } from "node:module";
import { UsageError } from "../diagnostics/errors.js";
import { LABELS } from "../labels/protocol.js";
import type { ListFilter } from "../engine/swarm.js";

/** node:crypto, loaded on first use: only stacks with configs or secrets hash anything, and loading it is 5 ms of a deploy's start. */
let crypto: typeof import("node:crypto") | undefined;
const loadCrypto = () => (crypto ??= createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto"));

/** The labels `docker stack` reads: with them, `docker stack ls/services/ps/rm` see a podlike stack as their own. */
export const STACK_NAMESPACE_LABEL = "com.docker.stack.namespace";
export const STACK_IMAGE_LABEL = "com.docker.stack.image";
/** On configs and secrets podlike creates: the content hash (configs) or version (secrets) their name ends with. */
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
  return loadCrypto().createHash("sha256").update(data).digest("hex").slice(0, 10);
}

/** Set on every machine that deploys the stack, the secret versions are keyed: without it no guess can be checked. */
export const SECRET_KEY_VARIABLE = "PODLIKE_SECRET_KEY";

/** scrypt's cost: 16 MiB and tens of milliseconds per derivation, per guess for anyone guessing too. */
const SECRET_SCRYPT = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/**
 * The version a secret's name ends with. Anyone who may list secrets sees it,
 * so it must not reveal the content the way a plain hash does (a PIN-like
 * secret would be found by hashing every candidate in seconds): a slow scrypt
 * of the content, salted with the stack and the secret's name (no table
 * serves two secrets), and keyed by PODLIKE_SECRET_KEY when that is set.
 */
export function secretVersion(data: Buffer, stack: string, name: string, key = ""): string {
  const salt = Buffer.from(`podlike secret v1\0${stack}\0${name}\0${key}`, "utf8");
  return loadCrypto().scryptSync(data, salt, 5, SECRET_SCRYPT).toString("hex");
}
