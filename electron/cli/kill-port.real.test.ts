import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alive, cleanupChildren, spawnListener } from '../core/testing/kill-children';

/**
 * `portscope kill <port>` as a user who may not kill the holder: the built CLI bundle run as
 * `nobody` (setpriv) against a listener this root test process owns. The kernel tells the socket's
 * uid, so the CLI can name the user even though it cannot see the process.
 */

const ROOT = join(__dirname, '..', '..');
const SETPRIV = '/usr/bin/setpriv';
const skip =
  process.getuid?.() !== 0
    ? 'needs root to start a listener that nobody may kill'
    : !existsSync(SETPRIV)
      ? 'setpriv (util-linux) is not installed'
      : process.platform !== 'linux'
        ? 'Linux only'
        : null;

// Inside node_modules so the bundle's external requires resolve; readable by nobody.
const CACHE = join(ROOT, 'node_modules', '.cache');
let out = '';

beforeAll(() => {
  if (skip) return;
  mkdirSync(CACHE, { recursive: true });
  out = mkdtempSync(join(CACHE, 'portscope-kill-test-'));
  chmodSync(out, 0o755);
  const vite = join(ROOT, 'node_modules', '.bin', 'vite');
  const args = [
    'build',
    '-c',
    'vite.cli.config.mts',
    '--outDir',
    out,
    '--emptyOutDir',
    '--logLevel',
    'error',
  ];
  const r = spawnSync(vite, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`CLI build failed:\n${r.stdout}\n${r.stderr}`);
}, 120_000);

afterEach(cleanupChildren);
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

function cliAsNobody(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const drop = ['--reuid=65534', '--regid=65534', '--clear-groups'];
  return new Promise((resolve) => {
    execFile(
      SETPRIV,
      [...drop, process.execPath, join(out, 'index.cjs'), ...args],
      { timeout: 30_000, cwd: '/' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, out: stdout, err: stderr });
      },
    );
  });
}

describe.skipIf(skip !== null)(
  `kill <port> held by another user's process${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('exits 1, names the socket’s user, and the listener lives', async () => {
      const child = await spawnListener();
      const port = child.ready.port as number;
      const r = await cliAsNobody('kill', String(port), '--yes', '--grace', '0.5');
      expect(r.code).toBe(1);
      expect(r.out).toContain(`a process of user root you cannot see holds 127.0.0.1:${port}/tcp`);
      expect(r.out).toContain(
        `Port ${port} is held by a process of user root that you cannot see; run Portscope as that user or as root to end it. Nothing was sent.`,
      );
      expect(alive(child.pid)).toBe(true);
    });
  },
);
