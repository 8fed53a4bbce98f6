/**
 * An HTTP server on a unix socket standing in for the engine's API: each
 * request is answered by `answer`, and its path is kept in `paths`. For tests
 * of what podlike sends and how it reads the replies, without an engine.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { join } from "node:path";
import { folderWith } from "./folders.js";

export interface EngineSocket {
  socketPath: string;
  /** DOCKER_HOST naming the socket. */
  env: { DOCKER_HOST: string };
  /** The path (with query) of every request, in order. */
  paths: string[];
  /** Drops open connections and stops listening. */
  close(): Promise<unknown>;
}

export async function engineSocket(answer: (path: string, res: ServerResponse, req: IncomingMessage) => void): Promise<EngineSocket> {
  const socketPath = join(folderWith({}), "engine.sock");
  const paths: string[] = [];
  const open = new Set<Socket>();
  const server = createServer((req, res) => {
    paths.push(req.url ?? "");
    answer(req.url ?? "", res, req);
  });
  server.on("connection", (s) => open.add(s));
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const close = () => {
    for (const s of open) s.destroy();
    return new Promise((r) => server.close(r));
  };
  return { socketPath, env: { DOCKER_HOST: `unix://${socketPath}` }, paths, close };
}

/** A JSON reply. */
export function replyJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}
