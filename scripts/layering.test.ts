import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Proves the layering rules are enforced by `npm run lint`, not by convention: it writes files with
// forbidden imports into each area of the real tree, runs the real lint script on them and expects
// each to fail naming its rule; clean control files in the same areas must pass.

const root = join(import.meta.dirname, '..');
const tag = `zz-layering-probe-${process.pid}`;

interface Probe {
  /** Folder (repo-relative) the probe is written into. */
  dir: string;
  /** File name suffix: '.ts', '.test.ts', '.mjs' … */
  ext?: string;
  spec: string;
  /** What the lint output must name for this file. */
  rule: string;
}

const NODE = 'lint/correctness/noNodejsModules';
const forbidden: Probe[] = [
  // electron/core: plain Node, knows no front door, no test support.
  { dir: 'electron/core/kill', spec: 'electron', rule: '[no-electron]' },
  { dir: 'electron/core/kill', spec: 'electron/main', rule: '[no-electron]' },
  { dir: 'electron/core/kill', spec: '../../main/ipc', rule: '[core-not-front-doors]' },
  { dir: 'electron/core/kill', spec: '../../preload/bridge', rule: '[core-not-front-doors]' },
  { dir: 'electron/core/kill', spec: '../../web/server', rule: '[core-not-front-doors]' },
  { dir: 'electron/core/kill', spec: '../../cli/main', rule: '[core-not-front-doors]' },
  { dir: 'electron/core', spec: '../../renderer/src/store', rule: '[core-not-front-doors]' },
  { dir: 'electron/core/kill', spec: '../testing/sockets', rule: '[no-test-support]' },
  // electron/web and electron/cli: no Electron, directly or through main/preload.
  { dir: 'electron/web', spec: 'electron', rule: '[no-electron]' },
  { dir: 'electron/web', spec: '../main/ipc', rule: '[front-doors-not-main]' },
  { dir: 'electron/web', spec: './testing/helpers', rule: '[no-test-support]' },
  { dir: 'electron/web', ext: '.test.ts', spec: 'electron', rule: '[no-electron]' },
  { dir: 'electron/cli', spec: 'electron', rule: '[no-electron]' },
  { dir: 'electron/cli', spec: '../preload/bridge', rule: '[front-doors-not-main]' },
  { dir: 'electron/cli', spec: '../../e2e/support/serve', rule: '[no-test-support]' },
  // shared: zod and itself only.
  { dir: 'shared', spec: 'electron', rule: '[no-electron]' },
  { dir: 'shared', spec: 'node:fs', rule: '[shared-only-zod]' },
  { dir: 'shared', spec: 'path', rule: '[shared-only-zod]' },
  { dir: 'shared', spec: 'react', rule: '[shared-only-zod]' },
  { dir: 'shared', spec: '../electron/core/engine/engine', rule: '[shared-stays-in-shared]' },
  { dir: 'shared', spec: './testing/rows', rule: '[no-test-support]' },
  { dir: 'shared/testing', spec: '../../electron/core/testing/sockets', rule: '[shared-stays-in-shared]' },
  // renderer: browser code that reaches the host only through its api.
  { dir: 'renderer/src/store', spec: 'electron', rule: '[no-electron]' },
  { dir: 'renderer/src/store', spec: 'node:fs', rule: NODE },
  { dir: 'renderer/src/store', spec: 'fs', rule: NODE },
  { dir: 'renderer/src/store', ext: '.test.ts', spec: 'node:child_process', rule: NODE },
  {
    dir: 'renderer/src/store',
    spec: '../../../electron/core/engine/engine',
    rule: '[renderer-not-electron]',
  },
  { dir: 'renderer/src/store', spec: '../testing/support', rule: '[no-test-support]' },
  // Any production file: no test support.
  { dir: 'electron/main', spec: './testing/fake-electron', rule: '[no-test-support]' },
  { dir: 'electron/main', spec: './window-policy.test-support', rule: '[no-test-support]' },
  { dir: 'scripts', ext: '.mjs', spec: '../e2e/support/serve.ts', rule: '[no-test-support]' },
  // Unit tests: test support from testing/ folders, never from e2e/.
  { dir: 'electron/cli', ext: '.test.ts', spec: '../../e2e/support/serve', rule: '[unit-tests-not-e2e]' },
  {
    dir: 'renderer/src/store',
    ext: '.test.ts',
    spec: '../../../e2e/support/session',
    rule: '[unit-tests-not-e2e]',
  },
];

// Imports each area may make: the rules must not flag them.
const allowed: Probe[] = [
  { dir: 'electron/core/kill', spec: '../../../shared/socket-rules', rule: '' },
  { dir: 'electron/core/kill', ext: '.test.ts', spec: '../testing/sockets', rule: '' },
  { dir: 'electron/web', spec: '../core/api/api', rule: '' },
  { dir: 'electron/cli', ext: '.test.ts', spec: './testing/capture-io', rule: '' },
  { dir: 'electron/main', spec: 'electron', rule: '' },
  { dir: 'shared', spec: 'zod', rule: '' },
  { dir: 'shared', ext: '.test.ts', spec: 'vitest', rule: '' },
  { dir: 'shared/testing', spec: '../model', rule: '' },
  { dir: 'renderer/src/store', spec: '../../../shared/model', rule: '' },
  { dir: 'renderer/src/store', ext: '.test.ts', spec: '../testing/support', rule: '' },
];

const fileOf = (p: Probe, i: number, kind: string) => `${p.dir}/${tag}-${kind}${i}${p.ext ?? '.ts'}`;
const written: string[] = [];

/** Writes one probe: a single import, used so no other lint rule has anything to say. */
function write(file: string, spec: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), `import { probe } from '${spec}';\n\nexport const used = probe;\n`);
  written.push(file);
}

/** Runs the script `npm run lint` runs, on the given files only. */
function lint(files: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'lint.mjs'), ...files], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

/** The diagnostics of the output, each starting at a `file:line:col` header. */
function diagnostics(output: string): string[] {
  return output.split(/\n(?=\S+:\d+:\d+\s)/);
}

const bad = forbidden.map((p, i) => ({ ...p, file: fileOf(p, i, 'bad') }));
const good = allowed.map((p, i) => ({ ...p, file: fileOf(p, i, 'ok') }));

describe('layering rules fail npm run lint', () => {
  beforeAll(() => {
    for (const p of [...bad, ...good]) write(p.file, p.spec);
  });
  afterAll(() => {
    for (const f of written) rmSync(join(root, f), { force: true });
  });

  it('fails on every forbidden import and names its rule', () => {
    const { status, output } = lint(bad.map((p) => p.file));
    expect(status).toBe(1);
    const found = diagnostics(output);
    const missing = bad.filter((p) => !found.some((d) => d.startsWith(`${p.file}:1:`) && d.includes(p.rule)));
    expect(missing.map((p) => `${p.file} '${p.spec}' → ${p.rule}`)).toEqual([]);
  });

  it('passes the allowed imports of each area', () => {
    const { status, output } = lint(good.map((p) => p.file));
    expect(output).toContain(`Checked ${good.length} files`);
    expect(output).toContain(`check-layers: ${good.length} files follow the layering rules`);
    expect(status, output).toBe(0);
  });
});
