#!/usr/bin/env node
// `npm start`: build the desktop app if out/ is missing or older than its sources, then launch
// Electron on it. Where no Electron binary can be found, print one paragraph that says what failed
// and how to fix it, and exit 1 (no stack trace). Arguments after `npm start --` go to the app.
//
// Environment:
//   ELECTRON_BIN=/path/to/electron   use this binary instead of node_modules/electron's
//   PORTSCOPE_NO_BUILD=1             never build (launch whatever out/ holds)
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

/** Electron 45's downloader (@electron/get) needs Node 22.12 or newer. */
function canDownloadElectron(version = process.versions.node) {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}

/** How to get the binary, worded for the Node that runs this: never a command that cannot work here. */
function downloadAdvice(version = process.versions.node) {
  const mirror = '(set ELECTRON_MIRROR=https://<mirror>/electron/ when the default download host is blocked)';
  if (canDownloadElectron(version)) {
    return `To fix it, download the binary with \`node node_modules/electron/install.js\` on a machine with network access ${mirror},`;
  }
  return [
    `Downloading it needs Node 22.12 or newer and this is Node ${version}: run`,
    `\`node node_modules/electron/install.js\` once with Node 22.12+ (e.g. through nvm) ${mirror},`,
  ].join(' ');
}

/** The one paragraph a user sees when there is no Electron binary. */
function noElectron(reason) {
  const text = [
    `Portscope could not start the desktop app: ${reason}.`,
    downloadAdvice(),
    'or point ELECTRON_BIN at an Electron binary you already have (ELECTRON_BIN=/path/to/electron npm start).',
    'Without Electron, `npm run web` serves the same UI to your browser (it runs on Node 20.19+).',
  ].join(' ');
  process.stderr.write(`${text}\n`);
  process.exit(1);
}

function isExecutable(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Electron binary: ELECTRON_BIN when set (and it must exist), else the electron package's own.
 * The package's index.js starts a download when its binary is missing, which here would hang on the
 * network; so check path.txt and dist/ first and require('electron') only when the binary is there.
 */
function electronBinary() {
  const fromEnv = process.env.ELECTRON_BIN;
  if (fromEnv) {
    if (!isExecutable(fromEnv))
      noElectron(`ELECTRON_BIN is set to ${fromEnv}, which is not an executable file`);
    return fromEnv;
  }
  let pkgDir;
  try {
    pkgDir = join(require.resolve('electron/package.json'), '..');
  } catch {
    noElectron('the electron package is not installed (run `npm install` first)');
  }
  const pathFile = join(pkgDir, 'path.txt');
  const relPath = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const overrideDist = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const expected = overrideDist
    ? join(overrideDist, relPath || 'electron')
    : relPath && join(pkgDir, 'dist', relPath);
  if (!expected || !existsSync(expected)) {
    noElectron('the Electron binary was never downloaded (node_modules/electron has no dist/ folder)');
  }
  try {
    const bin = require('electron');
    if (typeof bin === 'string' && isExecutable(bin)) return bin;
    noElectron(`the electron package points at ${bin}, which is not an executable file`);
  } catch (e) {
    noElectron(`the electron package failed to load (${String(e?.message ?? e).split('\n')[0]})`);
  }
}

const SOURCE_DIRS = ['electron/main', 'electron/preload', 'electron/core', 'shared', 'renderer'];
const SOURCE_FILES = ['electron.vite.config.ts', 'package.json'];
const OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

/** Newest modification time among the files that go into out/ (tests and fixtures excluded). */
function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'fixtures') visit(file);
      } else if (!/\.test\.tsx?$/.test(entry.name)) {
        newest = Math.max(newest, statSync(file).mtimeMs);
      }
    }
  };
  for (const d of SOURCE_DIRS) if (existsSync(join(root, d))) visit(join(root, d));
  for (const f of SOURCE_FILES)
    if (existsSync(join(root, f))) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return newest;
}

/** Why a build is needed, or null when out/ is complete and newer than every source. */
function buildReason() {
  const missing = OUTPUTS.find((f) => !existsSync(join(root, f)));
  if (missing) return `${missing} is missing`;
  const oldest = Math.min(...OUTPUTS.map((f) => statSync(join(root, f)).mtimeMs));
  return newestSource() > oldest ? 'sources changed since the last build' : null;
}

function buildIfNeeded() {
  if (process.env.PORTSCOPE_NO_BUILD === '1') return;
  const reason = buildReason();
  if (!reason) return;
  process.stdout.write(`Building Portscope (${reason})…\n`);
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const r = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(
      `Portscope: the build failed (electron-vite exit ${r.status}); see the errors above.\n`,
    );
    process.exit(r.status || 1);
  }
}

const bin = electronBinary();
buildIfNeeded();
// ELECTRON_RUN_AS_NODE left over in the shell would make the binary a plain Node and ignore the app.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
process.stdout.write(`Starting ${bin}\n`);
const child = spawn(bin, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('error', (e) => noElectron(`launching ${bin} failed (${e.message})`));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
