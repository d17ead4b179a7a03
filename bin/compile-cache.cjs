'use strict';
// V8's compile cache for the CLI's own files (Node >= 22.1: module.enableCompileCache), so a second
// `portscope` run skips parsing and compiling the bundle. Guarded: older Node has no such function,
// and the cache only ever goes to a folder that is this user's alone (0700, owned by us, not a
// symlink): a cache another user can write would let them feed us compiled code.
const { lstatSync, mkdirSync } = require('node:fs');
const { homedir, tmpdir } = require('node:os');
const { join } = require('node:path');

/** The folder to use: $XDG_CACHE_HOME/portscope/compile-cache, ~/.cache/…, else a per-uid temp one. */
function cacheDir(env = process.env) {
  if (env.XDG_CACHE_HOME?.startsWith('/')) return join(env.XDG_CACHE_HOME, 'portscope', 'compile-cache');
  let home = '';
  try {
    home = homedir();
  } catch {}
  if (home) return join(home, '.cache', 'portscope', 'compile-cache');
  return join(tmpdir(), `portscope-compile-cache-${process.getuid?.() ?? 'user'}`);
}

/** True when `dir` is a real directory owned by us that nobody else may read or write. */
function isPrivateDir(dir) {
  try {
    const st = lstatSync(dir);
    const uid = process.getuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/**
 * Turn the compile cache on when this Node has it and the user has not turned it off
 * (NODE_DISABLE_COMPILE_CACHE, or NODE_COMPILE_CACHE set: Node then handles it itself).
 * Returns the folder used, or null. Never throws: a cache is an optimisation.
 */
function enableCompileCache(mod = require('node:module'), env = process.env, dir = cacheDir(env)) {
  if (typeof mod.enableCompileCache !== 'function') return null;
  if (env.NODE_DISABLE_COMPILE_CACHE || env.NODE_COMPILE_CACHE) return null;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return null;
  }
  if (!isPrivateDir(dir)) return null;
  try {
    mod.enableCompileCache(dir);
    return dir;
  } catch {
    return null;
  }
}

module.exports = { cacheDir, enableCompileCache, isPrivateDir };
