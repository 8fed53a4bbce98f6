/**
 * A Docker socket the test controls: a unix socket in a temporary folder
 * that forwards every connection to the real engine's socket. Mounted into a
 * controller (as DOCKER_HOST), it lets a test take the engine away from that
 * one controller, as a dockerd that dies or stops would, while the shared
 * engine and every other container on it carry on.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ENGINE_SOCKET = "/var/run/docker.sock";

export class EngineRelay {
  /** The folder to mount into the controller; the socket inside is `docker.sock`. */
  readonly folder = mkdtempSync(join(tmpdir(), "podliketest-relay-"));
  private server?: Server;
  private readonly open = new Set<Socket>();

  get socket(): string {
    return join(this.folder, "docker.sock");
  }

  /** `docker run` arguments that make the controller reach the engine through this relay only. */
  dockerArgs(): string[] {
    return ["-v", `${this.folder}:/relay`, "-e", "DOCKER_HOST=unix:///relay/docker.sock"];
  }

  /** Starts (or restarts) forwarding. */
  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const engine = connect(ENGINE_SOCKET);
      for (const s of [client, engine]) {
        this.open.add(s);
        s.on("close", () => this.open.delete(s));
        s.on("error", () => {
          client.destroy();
          engine.destroy();
        });
      }
      client.pipe(engine);
      engine.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.socket, () => resolve());
    });
    this.server = server;
  }

  /** The engine goes away: open connections break and the socket disappears. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.open) s.destroy();
    this.open.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(this.socket, { force: true });
  }

  async dispose(): Promise<void> {
    await this.cut();
    rmSync(this.folder, { recursive: true, force: true });
  }
}
