import { readFileSync } from "node:fs";

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** The version of this package (package.json), also the default controller image tag. */
export const PACKAGE_VERSION: string = readVersion();
