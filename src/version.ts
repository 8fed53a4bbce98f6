import { readFileSync } from "node:fs";
import { packageFile } from "./package-root.js";

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(packageFile("package.json"), "utf8")) as { version: string };
  return pkg.version;
}

/** The version of this package (package.json), also the default controller image tag. */
export const PACKAGE_VERSION: string = readVersion();
