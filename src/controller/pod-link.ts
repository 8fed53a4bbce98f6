/**
 * The link that ties the pod's sandbox (and the secrets' keeper) to the
 * controller's life: each listens on an abstract unix socket of the network
 * namespace it shares with the controller, accepts exactly one connection,
 * and exits when that connection ends. The controller connects right after
 * starting it and before any component starts, so no component can be first;
 * it never writes to the link nor reads from it. When the controller dies,
 * however it dies, the kernel closes its end: no engine and no later
 * controller is needed for the pod to go.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { connect } from "node:net";

export interface PodLink {
  close(): void;
}

export type ConnectLink = (name: string) => Promise<PodLink>;

/** A fresh name for the abstract socket (shown as @name by `ss -x`): unguessable, so nothing else in the namespace binds it first. */
export function newLinkName(): string {
  return `podlike-link-${randomHex(12)}`;
}

/** The kernel's random bytes, read directly: node:crypto would hold a megabyte or two of the idle controller's memory for these few. */
function randomHex(bytes: number): string {
  const buffer = Buffer.alloc(bytes);
  const fd = openSync("/dev/urandom", "r");
  try {
    let filled = 0;
    while (filled < bytes) filled += readSync(fd, buffer, filled, bytes - filled, null);
  } finally {
    closeSync(fd);
  }
  return buffer.toString("hex");
}

/**
 * Connects to @name, retrying while the program that listens on it is still
 * starting. Gives up after `timeoutMs` (the sandbox itself gives up after
 * sandbox.ts's LINK_WAIT_MS).
 */
export async function connectLink(name: string, timeoutMs = 10_000): Promise<PodLink> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
    try {
      return await connectOnce(name);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== "ECONNREFUSED" && code !== "ENOENT") || Date.now() + delay > deadline) {
        throw new Error(`cannot link to @${name}: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function connectOnce(name: string): Promise<PodLink> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path: `\0${name}` });
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      // the far end ending (the sandbox stopped) is reported by the engine's events; nothing to do here
      socket.on("error", () => {});
      socket.resume();
      // an open link must not keep the controller's process alive
      socket.unref();
      resolve({ close: () => socket.destroy() });
    });
  });
}
