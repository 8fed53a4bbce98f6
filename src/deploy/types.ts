/**
 * The shapes deploy works on. Input is a Compose-shaped stack (what
 * `podlike convert` emits, or a plain Compose file without pods); output is
 * the Engine API's own JSON (ServiceSpec, NetworkCreate, ConfigSpec).
 */
import type { EngineSpec, ServiceSpec } from "../engine/swarm.js";

export type { EngineSpec, ServiceSpec };

/** A Compose-shaped stack: the form `docker stack deploy` accepts. */
export interface ComposeStack {
  services: Record<string, Record<string, unknown>>;
  networks?: Record<string, unknown>;
  volumes?: Record<string, unknown>;
  configs?: Record<string, unknown>;
  secrets?: Record<string, unknown>;
}


export interface DesiredNetwork {
  /** The key under `networks:` (or "default"). */
  key: string;
  /** The engine name. */
  name: string;
  external: boolean;
  /** The NetworkCreate body; absent for external networks. */
  create?: EngineSpec;
}

export type FileObjectKind = "config" | "secret";

export interface DesiredFileObject {
  kind: FileObjectKind;
  key: string;
  name: string;
  external: boolean;
  /** The content; never printed (secrets). */
  data?: Buffer;
  hash?: string;
  /** The ConfigSpec / SecretSpec without Data. */
  spec?: EngineSpec;
}

export interface DesiredService {
  key: string;
  name: string;
  spec: ServiceSpec;
}

/** Everything a stack should consist of, as the engine will hold it. */
export interface DesiredStack {
  stack: string;
  services: DesiredService[];
  networks: DesiredNetwork[];
  configs: DesiredFileObject[];
  secrets: DesiredFileObject[];
}

/** What the engine holds for a stack now. */
export interface LiveStack {
  services: {
    id: string;
    name: string;
    version: number;
    spec: ServiceSpec;
    /** What Swarm rolls back to. */
    previousSpec?: ServiceSpec;
    /** An update (or its rollback) is under way. */
    updating?: boolean;
  }[];
  /** Every network on the engine (external ones are looked up here too). */
  networks: { id: string; name: string; labels: Record<string, string> }[];
  configs: { id: string; name: string; labels: Record<string, string> }[];
  secrets: { id: string; name: string; labels: Record<string, string> }[];
}
