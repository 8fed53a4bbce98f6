import type { TreePath } from "../diagnostics/diagnostic.js";

/** What `x-pods.<name>.controller.share` switches. */
export interface ShareSettings {
  pid: boolean;
  ipc: boolean;
  volumes: boolean;
}

export interface ControllerSettings {
  image?: string;
  logs: boolean;
  pull: boolean;
  share: ShareSettings;
}

/** One entry of `x-pods`, read leniently (lint reports what is malformed). */
export interface PodDeclaration {
  name: string;
  components: string[];
  init: string[];
  /** The pod's own Swarm settings (`x-pods.<name>.deploy`). */
  deploy?: Record<string, unknown>;
  controller: ControllerSettings;
  /** ["x-pods", name] */
  path: TreePath;
}
