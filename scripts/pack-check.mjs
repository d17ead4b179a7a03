#!/usr/bin/env node
// `npm run pack:check`: proves electron-builder.yml where no Electron binary can be downloaded.
// Builds a stand-in Electron distribution (an executable named `electron` carrying Electron's fuse
// wire, LICENSE, version, resources/), runs electron-builder for the unpacked Linux target against it
// (electronDist), then opens the app.asar and checks what went in, the fuses that were flipped and the
// icons copied beside it. Prints every check; exits 1 when any fails. Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { checkBundlesHaveNoTestCode } from './bundle-check.mjs';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const work = join(root, '.pack-check');
const dist = join(work, 'electron-dist');
const output = join(work, 'release');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const EXECUTABLE = 'portscope-desktop'; // linux.executableName in electron-builder.yml
// `--config=<file>` checks another builder config (used to prove the checks catch a bad one).
const configFile =
  process.argv.find((a) => a.startsWith('--config='))?.slice('--config='.length) ?? 'electron-builder.yml';

let failures = 0;
function check(ok, what, detail = '') {
  if (!ok) failures += 1;
  console.log(`${ok ? '  ok  ' : ' FAIL '} ${what}${!ok && detail ? ` — ${detail}` : ''}`);
  return ok;
}

// Electron's fuse wire as @electron/fuses finds it: sentinel, wire version 1, length, one byte per
// fuse ('1' on, '0' off), in Electron 45's default state (RunAsNode, NODE_OPTIONS, --inspect and
// file:// privileges on). electron-builder must flip these in the packaged copy.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const DEFAULT_WIRE = '10110001';

function makeStandInDist() {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(join(dist, 'resources'), { recursive: true });
  const script = '#!/bin/sh\necho "stand-in Electron for pack:check; it cannot run an app" >&2\nexit 1\n';
  const wire = Buffer.concat([
    Buffer.from(`# ${SENTINEL}`),
    Buffer.from([1, DEFAULT_WIRE.length]),
    Buffer.from(DEFAULT_WIRE),
  ]);
  writeFileSync(join(dist, 'electron'), Buffer.concat([Buffer.from(script), wire, Buffer.from('\n')]));
  chmodSync(join(dist, 'electron'), 0o755);
  writeFileSync(join(dist, 'version'), `${electronVersion}\n`);
  writeFileSync(join(dist, 'LICENSE'), readFileSync(require.resolve('electron/LICENSE')));
  writeFileSync(join(dist, 'LICENSES.chromium.html'), '<!-- stand-in -->\n');
}

function runBuilder(outDir, extra = [], label = 'the unpacked Linux app') {
  rmSync(outDir, { recursive: true, force: true });
  const cli = join(root, 'node_modules', 'electron-builder', 'cli.js');
  const args = [
    cli,
    '--linux',
    'dir',
    '--publish',
    'never',
    '--config',
    configFile,
    `--config.electronDist=${dist}`,
    `--config.electronVersion=${electronVersion}`,
    `--config.directories.output=${outDir}`,
    ...extra,
  ];
  console.log(
    `electron-builder --linux dir ${extra.map((a) => `${a} `).join('')}(Electron ${electronVersion}, stand-in dist in .pack-check/)`,
  );
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      ELECTRON_BUILDER_CACHE: join(work, 'cache'),
      CSC_IDENTITY_AUTO_DISCOVERY: 'false',
    },
  });
  if (r.status !== 0) {
    process.stdout.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
  }
  return check(r.status === 0, `electron-builder built ${label}`, r.status === 0 ? '' : `exit ${r.status}`);
}

/** Every package a runtime dependency pulls in (the installed tree's own dependency lists). */
function runtimeClosure() {
  const allowed = new Set();
  const queue = Object.keys(pkg.dependencies ?? {});
  while (queue.length) {
    const name = queue.shift();
    if (allowed.has(name)) continue;
    allowed.add(name);
    const file = join(root, 'node_modules', name, 'package.json');
    if (!existsSync(file)) continue;
    const dep = JSON.parse(readFileSync(file, 'utf8'));
    for (const d of Object.keys({ ...dep.dependencies, ...dep.optionalDependencies })) queue.push(d);
  }
  return allowed;
}

/** Package names found under any node_modules folder in the asar listing. */
function packagesIn(files) {
  const names = new Set();
  for (const f of files) {
    const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/g;
    // A scope folder's own entry (node_modules/@opentelemetry) is not a package: its children are.
    for (const hit of f.matchAll(m)) if (!/^@[^/]+$/.test(hit[1])) names.add(hit[1]);
  }
  return names;
}

function checkAsar(appDir) {
  const asarFile = join(appDir, 'resources', 'app.asar');
  if (!check(existsSync(asarFile), 'resources/app.asar exists')) return;
  const asar = require('@electron/asar');
  const files = asar
    .listPackage(asarFile, { isPack: false })
    .map((f) => f.replace(/\\/g, '/').replace(/^\//, ''));
  console.log(`app.asar holds ${files.length} entries`);
  for (const f of ['package.json', 'out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
    check(files.includes(f), `${f} is in the asar`);
  }
  const ours = files.filter((f) => !f.startsWith('node_modules/'));
  const bad = (re) => ours.filter((f) => re.test(f));
  check(
    bad(/\.tsx?$/).length === 0,
    'no TypeScript sources',
    bad(/\.tsx?$/)
      .slice(0, 5)
      .join(', '),
  );
  const depTs = files.filter((f) => f.startsWith('node_modules/') && /\.[cm]?tsx?$/.test(f));
  check(
    depTs.length === 0,
    'no TypeScript sources or declarations in node_modules',
    depTs.slice(0, 5).join(', '),
  );
  check(
    bad(/\.(test|spec)\.[cm]?[jt]sx?$/).length === 0,
    'no tests',
    bad(/\.(test|spec)\./)
      .slice(0, 5)
      .join(', '),
  );
  const dirs = /^(e2e|bench|electron|renderer|shared|scripts|build|test-results|\.ci|out\/cli)(\/|$)/;
  check(
    bad(dirs).length === 0,
    'no e2e, bench, sources, scripts, build resources or CLI bundle',
    bad(dirs).slice(0, 5).join(', '),
  );
  const maps = files.filter((f) => f.endsWith('.map'));
  check(maps.length === 0, 'no source maps', maps.slice(0, 5).join(', '));
  const configs = bad(/^[^/]*\.(config\.[cm]?[jt]s|json)$/).filter((f) => f !== 'package.json');
  check(configs.length === 0, 'no config files at the top', configs.join(', '));

  const packed = packagesIn(files);
  const allowed = runtimeClosure();
  const extra = [...packed].filter((n) => !allowed.has(n));
  check(
    extra.length === 0,
    `node_modules holds only runtime dependencies (${[...packed].sort().join(', ')})`,
    `unexpected: ${extra.join(', ')}`,
  );
  const missing = Object.keys(pkg.dependencies ?? {}).filter((n) => !packed.has(n));
  check(missing.length === 0, 'every runtime dependency is packed', `missing: ${missing.join(', ')}`);
  for (const dev of ['electron', 'react', 'react-dom', 'zustand', 'vite', 'vitest', 'typescript']) {
    if (packed.has(dev)) check(false, `devDependency ${dev} is not packed`);
  }
  // A sandboxed preload can require only 'electron' (and a few Node shims): anything else fails at load.
  const preload = asar.extractFile(asarFile, 'out/preload/index.cjs').toString('utf8');
  const requires = [...new Set([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]))];
  check(
    requires.every((r) => r === 'electron'),
    "the sandboxed preload is one file that requires only 'electron'",
    requires.join(', '),
  );
  const packedPkg = JSON.parse(asar.extractFile(asarFile, 'package.json').toString('utf8'));
  check(
    packedPkg.main === 'out/main/index.js',
    'package.json main points at out/main/index.js',
    packedPkg.main,
  );
}

async function checkFuses(appDir, inspect = false) {
  const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses');
  const FuseState = { ENABLE: 49, DISABLE: 48 }; // '1' and '0', as @electron/fuses writes them
  const bin = join(appDir, EXECUTABLE);
  if (!check(existsSync(bin), `the app binary is named ${EXECUTABLE} (does not shadow the portscope CLI)`))
    return;
  const wire = await getCurrentFuseWire(bin);
  const want = {
    RunAsNode: FuseState.DISABLE,
    EnableNodeOptionsEnvironmentVariable: FuseState.DISABLE,
    EnableNodeCliInspectArguments: inspect ? FuseState.ENABLE : FuseState.DISABLE,
    OnlyLoadAppFromAsar: FuseState.ENABLE,
    EnableEmbeddedAsarIntegrityValidation: FuseState.ENABLE,
    // The renderer is served on portscope://app: file:// pages get no extra privileges (checklist 18).
    GrantFileProtocolExtraPrivileges: FuseState.DISABLE,
  };
  for (const [name, state] of Object.entries(want)) {
    const got = wire[FuseV1Options[name]];
    check(
      got === state,
      `${inspect ? 'test build: ' : ''}fuse ${name} is ${state === FuseState.ENABLE ? 'on' : 'off'}`,
      `found ${String.fromCharCode(got)}`,
    );
  }
}

function checkResources(appDir) {
  const dir = join(appDir, 'resources', 'icons');
  const tray = existsSync(join(dir, 'tray')) ? readdirSync(join(dir, 'tray')) : [];
  for (const f of ['tray-22.png', 'tray-22@2x.png', 'trayTemplate.png', 'trayTemplate@2x.png', 'tray.ico']) {
    check(tray.includes(f), `resources/icons/tray/${f} is shipped`);
  }
  check(
    existsSync(join(dir, 'icons', '256x256.png')),
    'resources/icons/icons/256x256.png (window icon) is shipped',
  );
}

/**
 * The netlink addon ships in both packages: unpacked beside the app.asar (a .node file cannot be
 * loaded from inside the archive) and in the npm tarball. Where this machine could not build it
 * (scripts/build-native.mjs skipped), there is nothing to ship and that is said, not failed.
 */
function checkNative(appDir) {
  const addon = 'out/native/sock_diag.node';
  if (!existsSync(join(root, addon))) {
    console.log(`  --   ${addon} not built here (no compiler or not Linux): native checks skipped`);
    return;
  }
  check(
    existsSync(join(appDir, 'resources', 'app.asar.unpacked', addon)),
    `${addon} is unpacked beside the app.asar (resources/app.asar.unpacked)`,
  );
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
  });
  let files = [];
  try {
    files = JSON.parse(r.stdout)[0].files.map((f) => f.path);
  } catch {
    // reported by the check below
  }
  check(
    files.includes(addon),
    `${addon} is in the npm tarball`,
    r.status === 0 ? '' : `npm pack exit ${r.status}`,
  );
  const scripts = pkg.scripts ?? {};
  const hooks = ['preinstall', 'install', 'postinstall'].filter((h) => h in scripts);
  check(hooks.length === 0, 'no install scripts (npm install needs no approval)', hooks.join(', '));
}

if (
  !['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].every((f) =>
    existsSync(join(root, f)),
  )
) {
  console.error('pack:check: out/ is not built. Run `npm run build` first.');
  process.exit(1);
}
// Test-only code (testing/, e2e/, *.test.*, *.test-support.*) must not be in any bundle we ship.
checkBundlesHaveNoTestCode(root, check);
makeStandInDist();
if (runBuilder(output)) {
  const appDir = join(output, 'linux-unpacked');
  checkAsar(appDir);
  await checkFuses(appDir);
  checkResources(appDir);
  checkNative(appDir);
}
// The documented test build for Playwright's _electron (README): the inspect fuse on, the rest as released.
const testOutput = join(work, 'release-test');
if (
  runBuilder(
    testOutput,
    ['--config.electronFuses.enableNodeCliInspectArguments=true'],
    'the inspect-enabled test build',
  )
) {
  await checkFuses(join(testOutput, 'linux-unpacked'), true);
}
console.log(failures === 0 ? 'pack:check: all checks passed' : `pack:check: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
