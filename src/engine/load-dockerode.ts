/**
 * dockerode, loaded without paying for two parts podlike rarely uses. At
 * import time dockerode loads gRPC (BuildKit sessions) and docker-modem loads
 * ssh2 (ssh:// hosts): about 25 MB and a third of a second, paid by every
 * deploy, rm, ps and controller start. Both entry modules export a function,
 * so the require cache gets stand-ins that load the real module on first
 * call: BuildKit sessions and ssh:// hosts still work when used. A dockerode
 * laid out differently simply loads as it is.
 */
import { createRequire } from "node:module";
import type Dockerode from "dockerode";

const require = createRequire(import.meta.url);

let loaded: typeof Dockerode | undefined;

export function loadDockerode(): typeof Dockerode {
  if (loaded) return loaded;
  try {
    const fromDockerode = createRequire(require.resolve("dockerode"));
    deferFunctionModule(fromDockerode, "./session");
    deferFunctionModule(createRequire(fromDockerode.resolve("docker-modem")), "./ssh");
  } catch {
    // another layout: nothing deferred
  }
  loaded = require("dockerode") as typeof Dockerode;
  return loaded;
}

function deferFunctionModule(req: NodeJS.Require, id: string): void {
  const file = req.resolve(id);
  if (req.cache[file]) return;
  let real: ((...args: unknown[]) => unknown) | undefined;
  const standIn = function (this: unknown, ...args: unknown[]): unknown {
    if (!real) {
      delete req.cache[file];
      real = req(file) as (...args: unknown[]) => unknown;
    }
    return real.apply(this, args);
  };
  req.cache[file] = { id: file, filename: file, loaded: true, exports: standIn, children: [], paths: [] } as unknown as NodeJS.Module;
}
