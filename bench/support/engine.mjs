// What the benches that run pods on this machine's engine share: a client of
// the engine, its socket, the test image and the controller image under test.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Docker = require("dockerode");

export const docker = new Docker();
export const SOCKET = "/var/run/docker.sock";
export const BUSYBOX = "podlike-test/busybox:latest";
/** The image `npm run image:local` builds; PODLIKE_LOCAL_IMAGE picks another tag. */
export const CONTROLLER = process.env.PODLIKE_LOCAL_IMAGE || "podlike/controller:local";
