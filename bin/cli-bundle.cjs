// Loads the bundled CLI the way bin/podlike runs it: from dist/bundle/, with
// the V8 code caches of bin/code-cache.cjs for the bundle and the generated
// schema validator it requires. scripts/warm-code-cache.cjs loads it the same
// way, so the caches it writes at build time are the ones a command accepts.
"use strict";
const { fstatSync, statSync } = require("node:fs");
const { join, resolve } = require("node:path");
const { createCodeCache } = require("./code-cache.cjs");

const root = join(__dirname, "..");
const bundleDir = join(root, "dist", "bundle");

// A command runs for a fraction of a second, and V8's optimising compiler
// spent more CPU compiling its hot functions than running them optimised
// saved: convert of 1000 services took 0.55 s of CPU with it, 0.34 s
// without. Fifteen times the default budget before a function is optimised
// leaves optimisation to the runs long enough to repay it.
const CLI_V8_FLAGS = ["--interrupt-budget=1000000"];

// A lint of a small input keeps V8's defaults: its run is mostly start-up,
// and setting a flag needs node:v8, which loads twenty stream modules that
// lint otherwise never loads (a tenth of its start-up). From about 11 KB of
// YAML on, the budget repays that: lint of a 23 KB file took 26% more CPU
// without it, of the 200 KB 1000-service file 52% more.
const SMALL_LINT_BYTES = 8 * 1024;
// what lint reads when no file is named (src/compose/find-files.ts; this file
// runs before any bundle is read, so it names them again, and
// test/cli/start-up.test.ts holds the two to each other)
const FOUND_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml", "compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml", "docker-compose.override.yml"];

/** Size of a regular file (a path, or the descriptor of standard input), or undefined. */
function fileSize(file) {
  try {
    const info = typeof file === "number" ? fstatSync(file) : statSync(file);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * About how many bytes `podlike lint ...args` reads: the files its arguments
 * name (option values that are no file weigh nothing), standard input for
 * "-" (unknown, so large, unless it is a file), else the Compose files lint
 * finds in `cwd`. Only a choice of speed rests on it.
 */
function lintInputBytes(args, cwd) {
  let total = 0;
  let named = false;
  for (const arg of args) {
    if (arg === "-") {
      named = true;
      total += fileSize(0) ?? Infinity;
      continue;
    }
    // an option's value may be a file too: --file=compose.yml
    const path = !arg.startsWith("-") ? arg : arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : undefined;
    const size = path === undefined ? undefined : fileSize(resolve(cwd, path));
    if (size !== undefined) {
      named = true;
      total += size;
    }
  }
  if (!named) for (const name of FOUND_FILES) total += fileSize(join(cwd, name)) ?? 0;
  return total;
}

/** The sets of V8 flags the CLI runs with, by name; each has a code cache of its own. */
const V8_FLAG_SETS = { smallLint: [], commands: CLI_V8_FLAGS, deploy: CLI_V8_FLAGS };

// Sets whose flags are another's but whose cache is their own: until it is
// written, the cache of those flags serves. deploy runs what no other
// command does (the engine client, the plan against the live stack):
// compiling it cost 10 ms of a deploy's CPU with the other commands' cache.
const OWN_CACHE = new Set(["deploy"]);

// Node compiles its own modules from a code cache made with V8's default
// flags; once a flag is set, V8 rejects that cache and each module loaded
// afterwards is compiled from source. So the built-in modules a set's
// commands load are loaded before its flags are set: deploy's HTTP client
// took 6 ms more CPU when loaded after them. (The lists are what
// process.moduleLoadList shows each command loading after the flags, but for
// node:crypto, which deploy loads only for a stack with configs or secrets.)
const BUILTINS_BEFORE_FLAGS = { smallLint: [], commands: [], deploy: ["node:http", "node:os"] };

/** The name of the V8 flag set `podlike ...argv` runs with. */
function flagSetOf(argv, cwd = process.cwd()) {
  if (argv[0] === "deploy") return "deploy";
  return argv[0] === "lint" && lintInputBytes(argv.slice(1), cwd) <= SMALL_LINT_BYTES ? "smallLint" : "commands";
}

/**
 * The CLI ({ main, outputQueued }) and the code cache its bundles compile
 * with, run with the V8 flags of `flagSet` (a key of V8_FLAG_SETS). Each
 * bundle is compiled on first use: lint.cjs runs lint's common forms, and
 * main.cjs everything else, including the lint command lines lint.cjs
 * leaves to it.
 */
function loadCliWith(flagSet) {
  const flags = V8_FLAG_SETS[flagSet];
  if (flags.length) {
    const v8 = require("node:v8");
    for (const name of BUILTINS_BEFORE_FLAGS[flagSet]) require(name);
    v8.setFlagsFromString(flags.join(" "));
  }
  const codeCache = createCodeCache(bundleDir, flags, OWN_CACHE.has(flagSet) ? flagSet : "");
  codeCache.coverRequiresUnder(join(root, "schemas"));
  // yaml.cjs, which lint.cjs loads on first use
  codeCache.coverRequiresUnder(bundleDir);
  const loaded = {};
  const bundle = (file) => (loaded[file] ??= codeCache.runFile(join(bundleDir, file), { exports: {} }));
  const cli = {
    /** Compiles the bundle that runs `argv` first. */
    preload(argv) {
      bundle(argv[0] === "lint" ? "lint.cjs" : "main.cjs");
    },
    async main(argv, io) {
      if (argv[0] === "lint") {
        const code = await bundle("lint.cjs").main(argv, io);
        if (code !== undefined) return code;
      }
      return bundle("main.cjs").main(argv, io);
    },
    /** True while output is queued, asked of the bundle that wrote it. */
    outputQueued() {
      return (loaded["main.cjs"] ?? loaded["lint.cjs"])?.outputQueued() ?? false;
    },
  };
  return { cli, codeCache };
}

/** The CLI, loaded to run `podlike ...argv`. */
function loadCli(argv) {
  const loaded = loadCliWith(flagSetOf(argv));
  loaded.cli.preload(argv);
  return loaded;
}

module.exports = { loadCli, loadCliWith, flagSetOf, V8_FLAG_SETS };
