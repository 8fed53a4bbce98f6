/** The loaded Compose project: the shape every later phase reads. */

/** The top-level extension key that declares the pods. */
export const PODS_KEY = "x-pods";

/** One service definition as Compose writes it (a component, an init member, a plain service). */
export type ComposeService = Record<string, unknown>;

export interface LoadOptions {
  /** Files as the user gave them, in order; "-" reads standard input. Empty: find compose.yaml & co. in cwd. */
  files: string[];
  cwd: string;
  /** The process environment (the loader never reads process.env itself). */
  env: Record<string, string | undefined>;
  /** --env-file values; default: .env beside the first file, when present. */
  envFiles?: string[];
  readStdin?: () => Promise<string>;
}

export interface ComposeModel {
  /**
   * Merged, interpolated, `extends` resolved; relative paths (env_file, bind
   * sources, build contexts, configs/secrets `file`) made absolute against the
   * project folder, as docker compose does (extends and include files keep
   * their own folder). Otherwise the user's own forms (short or long
   * syntax) are kept. Every mapping and sequence carries its source positions
   * (see source-map.ts).
   */
  raw: Record<string, unknown>;
  /** Absolute paths of the files read, in order ("<stdin>" for -). */
  files: string[];
  /** The folder of the first file: Compose's project directory. */
  projectDir: string;
  /** The variables interpolation saw (environment over env files). */
  variables: Record<string, string>;
}
