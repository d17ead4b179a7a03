import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const start = join(root, 'scripts', 'start.mjs');
const dir = mkdtempSync(join(tmpdir(), 'portscope-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(env: Record<string, string | undefined>) {
  const clean = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete clean[k];
  return spawnSync(process.execPath, [start, '--flag-for-app'], {
    cwd: root,
    env: clean,
    encoding: 'utf8',
    timeout: 20_000,
  });
}

/** The one-paragraph failure: what failed, the fixes, the browser fallback, and no stack trace. */
function expectOneParagraph(stderr: string) {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).toContain('node node_modules/electron/install.js');
  expect(stderr).toContain('ELECTRON_MIRROR');
  expect(stderr).toContain('ELECTRON_BIN');
  expect(stderr).toContain('npm run web');
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('npm start (scripts/start.mjs)', () => {
  it('explains a missing ELECTRON_BIN in one paragraph and exits 1', () => {
    const r = run({ ELECTRON_BIN: join(dir, 'no-such-electron') });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no-such-electron');
    expectOneParagraph(r.stderr);
  });

  it('never recommends a download this Node cannot run: Electron 45 downloads with Node 22.12+ only', () => {
    const r = run({ ELECTRON_BIN: join(dir, 'no-such-electron') });
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    const canDownload = major > 22 || (major === 22 && minor >= 12);
    if (canDownload) expect(r.stderr).not.toContain('needs Node 22.12');
    else expect(r.stderr).toContain(`needs Node 22.12 or newer and this is Node ${process.versions.node}`);
  });

  it('explains a missing package binary the same way (no download attempt, no hang)', () => {
    const r = run({ ELECTRON_BIN: undefined, ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'empty-dist') });
    expect(r.status).toBe(1);
    expectOneParagraph(r.stderr);
  });

  it('launches ELECTRON_BIN on the app folder with the arguments, without ELECTRON_RUN_AS_NODE, and passes its exit code on', () => {
    const record = join(dir, 'launched.json');
    const fake = join(dir, 'electron');
    writeFileSync(
      fake,
      `#!${process.execPath}\nrequire('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ argv: process.argv.slice(2), runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null }));\nprocess.exit(7);\n`,
    );
    chmodSync(fake, 0o755);
    const r = run({ ELECTRON_BIN: fake, ELECTRON_RUN_AS_NODE: '1', PORTSCOPE_NO_BUILD: '1' });
    expect(r.status).toBe(7);
    expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual({
      argv: [root, '--flag-for-app'],
      runAsNode: null,
    });
  });
});
