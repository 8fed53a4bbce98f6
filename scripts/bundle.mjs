#!/usr/bin/env node
// Bundles the CLI into one CommonJS script, dist/bundle/main.cjs, and warms a
// V8 code cache for it (scripts/warm-code-cache.cjs). Start-up is most of a
// lint run in CI: resolving and compiling some hundred small modules costs
// more than the work itself, so the CLI ships as one script that bin/podlike
// compiles with the cache (Node 20 has no module compile cache, and vm.Script
// takes cachedData only for scripts). Commands stay lazy: each is evaluated
// on first use.
import { build } from "esbuild";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = fileURLToPath(new URL("..", import.meta.url));

// commander requires child_process (and with it net and streams) when it is
// loaded, for subcommands run as separate programs, which podlike has none of:
// loading it on first use saves a sixth of a lint run's start-up.
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.namespace === "lazy-builtin" ? { path: "node:child_process", external: true } : { path: "child_process", namespace: "lazy-builtin" },
    );
    build.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, () => ({
      contents: "let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= require('node:child_process'))[key] });",
      loader: "js",
    }));
  },
};

// chalk's own colour detection loads node:tty, node:os and with them node's
// streams when chalk is evaluated, and a small lint otherwise loads none of
// them (a tenth of its start-up). Every Chalk podlike makes is given its level
// (src/cli/render.ts), so the detection's answer is never read: the bundle
// carries an answer of "no colour" in its place.
const noColorDetection = {
  name: "no-color-detection",
  setup(build) {
    build.onResolve({ filter: /^#supports-color$/ }, () => ({ path: "supports-color", namespace: "no-color-detection" }));
    build.onLoad({ filter: /.*/, namespace: "no-color-detection" }, () => ({
      contents: "export default { stdout: false, stderr: false };",
      loader: "js",
    }));
  },
};

// The controller reads its labels with src/yaml/read-written-yaml.ts; the full
// YAML reader (half the controller's code) is its own file, dist/bundle/yaml.cjs,
// loaded only for a label convert did not write or a pod.compose.file.
const lazyYaml = {
  name: "lazy-yaml",
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: "yaml", namespace: "lazy-yaml" }));
    build.onLoad({ filter: /.*/, namespace: "lazy-yaml" }, () => ({
      contents: "let loaded; export function parse(text, options) { loaded ??= require(__dirname + '/yaml.cjs'); return loaded.parse(text, options); }",
      loader: "js",
    }));
  },
};

// In the CLI, the full YAML reader (the \`yaml\` package) reads only what the
// fast reader hands over (findings, rare YAML) and writes only deploy's
// dry-run diffs; evaluating its modules took 2 ms of the 108 ms of CPU a
// small lint takes. A package listed here is evaluated on the first use of
// one of its exports, which the lazy module lists from the package itself at
// build time.
const LAZY_PACKAGES = ["yaml"];
const require = createRequire(import.meta.url);
const lazyPackages = lazyPackagesFrom((name) => JSON.stringify(name));
// lint.cjs carries no copy of yaml: it loads dist/bundle/yaml.cjs (the same package) on first use
const lazyPackagesOutside = lazyPackagesFrom((name) => `__dirname + ${JSON.stringify(`/${name}.cjs`)}`);

/** The lazy-packages plugin, whose modules require the package from `from(name)`, an expression. */
function lazyPackagesFrom(from) {
  return {
    name: "lazy-packages",
    setup(build) {
      const filter = new RegExp(`^(${LAZY_PACKAGES.join("|")})$`);
      // the lazy module's own require resolves as usual: to the bundled package
      build.onResolve({ filter }, (args) => (args.namespace === "lazy-package" ? undefined : { path: args.path, namespace: "lazy-package" }));
      build.onLoad({ filter: /.*/, namespace: "lazy-package" }, (args) => ({
        contents: [
          "let loaded;",
          `const load = () => (loaded ??= require(${from(args.path)}));`,
          `for (const key of ${JSON.stringify(Object.keys(require(args.path)))}) Object.defineProperty(exports, key, { enumerable: true, get: () => load()[key] });`,
        ].join("\n"),
        loader: "js",
        resolveDir: root,
      }));
    },
  };
}

// The generated schema validator inside the lint bundle: one file to read and
// one cache to deserialise, and none of the module loader's resolving for a
// file of its own (a twentieth of a small lint's instructions).
const bundledValidator = {
  name: "bundled-validator",
  setup(build) {
    build.onResolve({ filter: /^\.\/schema-validator\.js$/ }, () => ({ path: "schema-validator", namespace: "bundled-validator" }));
    build.onLoad({ filter: /.*/, namespace: "bundled-validator" }, () => ({
      contents: `export function loadSchemaValidator() { return require(${JSON.stringify(`${root}schemas/compose.validate.cjs`)}); }`,
      loader: "js",
      resolveDir: root,
    }));
  },
};

rmSync(`${root}/dist/bundle`, { recursive: true, force: true });
const common = {
  absWorkingDir: root,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  // modules find the package's files from their own location, which is
  // worked out when asked: a small lint never asks
  define: { "import.meta.url": "__podlikeModule.url" },
  banner: { js: "const __podlikeModule = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
  plugins: [lazyChildProcess, lazyPackages, noColorDetection],
  logLevel: "warning",
  legalComments: "none",
};
await build({ ...common, entryPoints: ["src/cli/main.ts"], outfile: "dist/bundle/main.cjs" });
// lint's common forms (src/cli/lint-main.ts): a third of main.cjs, with no
// commander, deploy, controller or yaml, for the command whose run is mostly
// start-up; bin/cli-bundle.cjs hands any other lint to main.cjs. Without its
// whitespace it is a fifth smaller to read (names are kept, for stack traces).
await build({
  ...common,
  plugins: [lazyChildProcess, lazyPackagesOutside, noColorDetection, bundledValidator],
  entryPoints: ["src/cli/lint-main.ts"],
  outfile: "dist/bundle/lint.cjs",
  minifyWhitespace: true,
});
// `podlike controller` runs for a pod's whole life: a bundle of its own holds
// half the code: none of lint, convert, deploy or commander.
await build({ ...common, plugins: [lazyChildProcess, lazyYaml], entryPoints: ["src/cli/controller-main.ts"], outfile: "dist/bundle/controller.cjs" });
await build({ ...common, plugins: [], stdin: { contents: "module.exports = require('yaml');", resolveDir: root, loader: "js" }, outfile: "dist/bundle/yaml.cjs" });

// V8 keeps a script's source for the life of the process, at two bytes a
// character once one character is not ASCII: a regular expression with a
// literal "µ" doubled the memory a bundle's source takes. Write \u00b5.
for (const file of ["main.cjs", "lint.cjs", "controller.cjs", "yaml.cjs"]) {
  const text = readFileSync(`${root}/dist/bundle/${file}`, "utf8");
  const at = text.search(/[^\x00-\x7f]/);
  if (at >= 0) {
    const line = text.slice(0, at).split("\n").length;
    console.error(`bundle: dist/bundle/${file}:${line} holds a character that is not ASCII (${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))}); escape it in the source`);
    process.exit(1);
  }
}

// The CLI's V8 code cache, made by this node with the flags bin/podlike runs
// it with. The release image's build stage has no bin/ yet: its final stage
// warms it itself.
if (existsSync(`${root}/bin/cli-bundle.cjs`)) {
  const warm = spawnSync(process.execPath, [`${root}/scripts/warm-code-cache.cjs`], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (warm.status !== 0) {
    console.error(`bundle: ${warm.stderr.trim()}`);
    process.exit(1);
  }
}
