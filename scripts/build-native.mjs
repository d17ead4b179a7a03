#!/usr/bin/env node
// Builds the netlink sock_diag addon (electron/core/sources/netlink/sock_diag.c) into
// out/native/sock_diag.node with the system C compiler and the Node-API headers already on this
// machine: no node-gyp, no download, no install script (nothing for npm to ask approval for).
// Node-API is ABI-stable, so the one binary loads in Node and in Electron alike.
// Where it cannot build (not Linux, no compiler, no headers) it says so in one line and exits 0:
// Portscope then reads /proc/net instead. `--quiet` prints nothing when the addon is up to date.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const srcDir = join(root, 'electron', 'core', 'sources', 'netlink');
const source = join(srcDir, 'sock_diag.c');
// SOCK_DESTROY lives in its own file: the addon links it, and so does the elevated helper
// (portscope-sock-destroy, run by pkexec to close a connection without CAP_NET_ADMIN).
const destroySource = join(srcDir, 'sock_destroy.c');
const helperMain = join(srcDir, 'sock_destroy_main.c');
// The /proc fd walk for socket holders (`ss -p`'s readlinks, in C): its own addon beside this one.
const fdScanSource = join(root, 'electron', 'core', 'processes', 'native', 'fd_scan.c');
const inputs = [source, destroySource, helperMain, join(srcDir, 'sock_destroy.h'), fdScanSource];
// `--out=<file>` builds elsewhere (tests); the default is where the loader looks.
const outArg = process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length);
const target = outArg ?? join(root, 'out', 'native', 'sock_diag.node');
const outDir = dirname(target);
const helperTarget = join(outDir, 'portscope-sock-destroy');
const fdScanTarget = join(outDir, 'fd_scan.node');
const quiet = process.argv.includes('--quiet');

function skip(reason) {
  console.log(`build-native: skipped (${reason}); Portscope will read /proc/net instead of netlink.`);
  process.exit(0);
}

/** The first folder holding node_api.h: this Node's own include dir, then the system's. */
function nodeHeaders() {
  const candidates = [
    process.env.NODE_API_HEADERS,
    join(dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ];
  return candidates.find((d) => d && existsSync(join(d, 'node_api.h'))) ?? null;
}

function compiler() {
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean)) {
    const r = spawnSync(cc, ['--version'], { stdio: 'ignore' });
    if (r.status === 0) return cc;
  }
  return null;
}

if (process.platform !== 'linux') skip(`netlink sock_diag is Linux-only, this is ${process.platform}`);
const headers = nodeHeaders();
if (!headers) skip('no node_api.h found; install the Node.js headers (e.g. the nodejs-dev package)');
const cc = compiler();
if (!cc) skip('no C compiler found (cc, gcc or clang)');

const newest = Math.max(...inputs.map((f) => statSync(f).mtimeMs));
const fresh = (f) => existsSync(f) && statSync(f).mtimeMs >= newest;
if (fresh(target) && fresh(helperTarget) && fresh(fdScanTarget)) {
  if (!quiet) console.log(`build-native: ${target} is up to date`);
  process.exit(0);
}
mkdirSync(outDir, { recursive: true });
const common = ['-O2', '-std=gnu11', '-Wall'];
// An N-API addon: position-independent, only its init exported, against Node's headers.
const addon = [...common, '-fPIC', '-shared', '-fvisibility=hidden', '-DNAPI_VERSION=8', `-I${headers}`];
const builds = [
  [target, [...addon, source, destroySource, '-o', target]],
  [helperTarget, [...common, destroySource, helperMain, '-o', helperTarget]],
  [fdScanTarget, [...addon, fdScanSource, '-o', fdScanTarget]],
];
for (const [out, args] of builds) {
  const r = spawnSync(cc, args, { stdio: 'inherit' });
  // A compiler that is there but fails on our own source is a bug to see, not a reason to fall back.
  if (r.status !== 0) {
    console.error(`build-native: ${cc} failed on ${out} (exit ${r.status})`);
    process.exit(1);
  }
  console.log(`build-native: built ${out}`);
}
