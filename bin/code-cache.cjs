// Compiles CommonJS files with V8 code caches kept in a folder: reading a
// cache instead of compiling is most of a short command's start-up (Node 20
// has no module compile cache; vm.Script takes cachedData for scripts only).
//
// V8 rejects a cache made by another node version or with other V8 flags, so
// each set of flags gets a file of its own: runs with other flags never
// overwrite each other's cache. V8 checks only the length of the source, so each cache also
// starts with the size and modification time of the file it was made from: a
// rebuilt bundle of the same length is compiled afresh, never run from stale
// code.
// A missing, stale or rejected cache is compiled without one and written
// when save() is called, if the folder is writable.
"use strict";
const { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } = require("node:fs");
const { Script } = require("node:vm");
const { basename, dirname, join, sep } = require("node:path");
const Module = require("node:module");

const HEADER_END = 0x0a;

/** FNV-1a, 32 bits, in hex: names the flags' cache without loading node:crypto. */
function shortHash(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/**
 * A code cache for the files compiled in this process. `v8Flags` are the
 * flags set with v8.setFlagsFromString before this call (they change what V8
 * accepts as much as node's own command-line flags do). A `variant` names a
 * cache of its own, for a command whose code differs from the others': it
 * holds the functions that command runs. Until it is written, the shared
 * cache serves, and the variant's is written from that run.
 */
function createCodeCache(cacheDir, v8Flags = [], variant = "") {
  const flagsKey = shortHash([process.version, process.arch, ...process.execArgv, ...v8Flags].join("\0"));
  const pending = [];
  const stats = { fromCache: 0, compiled: 0 };

  function cachePath(file, name = variant) {
    return join(cacheDir, `${basename(file)}.${name ? `${name}.` : ""}${flagsKey}.cache`);
  }

  /** Reads the cache at `path` when it was made from the very file `stamp` describes. */
  function readCache(path, stamp) {
    let bytes;
    try {
      bytes = readFileSync(path);
    } catch {
      return undefined;
    }
    const end = bytes.indexOf(HEADER_END);
    if (end < 0 || bytes.toString("latin1", 0, end) !== stamp) return undefined;
    return bytes.subarray(end + 1);
  }

  /** Runs a CommonJS file as Node would, compiled from its cache when there is a good one. */
  function runFile(file, module) {
    const source = readFileSync(file, "utf8");
    const info = statSync(file);
    // whole seconds: image builds copy files with their time truncated to the second
    const stamp = `${info.size} ${Math.floor(info.mtimeMs / 1000)}`;
    const own = readCache(cachePath(file), stamp);
    const cachedData = own ?? (variant ? readCache(cachePath(file, ""), stamp) : undefined);
    const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
    const script = new Script(wrapper, { filename: file, cachedData });
    if (own === undefined || script.cachedDataRejected) pending.push({ script, path: cachePath(file), stamp });
    if (cachedData === undefined || script.cachedDataRejected) stats.compiled++;
    else stats.fromCache++;
    module.filename ??= file;
    script.runInThisContext()(module.exports, Module.createRequire(file), module, file, dirname(file));
    return module.exports;
  }

  /**
   * Writes the caches that were missing or rejected, with every function
   * compiled so far: call it after the work, so the functions the work used
   * are in the cache too. A read-only folder keeps running without them.
   */
  function save() {
    for (const { script, path, stamp } of pending.splice(0)) {
      const temporary = `${path}.${process.pid}`;
      try {
        writeFileSync(temporary, Buffer.concat([Buffer.from(`${stamp}\n`, "latin1"), script.createCachedData()]));
        renameSync(temporary, path);
      } catch {
        // a read-only install runs without the cache
        try {
          unlinkSync(temporary);
        } catch {
          // it was never written
        }
      }
    }
  }

  /** Compiles the CommonJS files that `require` loads from under `dir` with their caches too. */
  function coverRequiresUnder(dir) {
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    const compileJs = Module._extensions[".js"];
    Module._extensions[".js"] = function (module, file) {
      if (file.startsWith(prefix) && file.endsWith(".cjs")) runFile(file, module);
      else compileJs.call(this, module, file);
    };
  }

  return { runFile, coverRequiresUnder, save, stats, cachePath };
}

module.exports = { createCodeCache };
