import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSockDiag } from '../electron/core/sources/netlink/sock-diag-addon';

const script = join(import.meta.dirname, 'build-native.mjs');
const dir = mkdtempSync(join(tmpdir(), 'portscope-native-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function build(out: string, env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [script, `--out=${out}`], { encoding: 'utf8', env });
}

const hasCc = spawnSync('cc', ['--version'], { stdio: 'ignore' }).status === 0;

describe('scripts/build-native.mjs', () => {
  it('without a compiler: one line that says why and what runs instead, exit 0, no file', () => {
    const out = join(dir, 'none', 'sock_diag.node');
    // An empty PATH and a CC that does not exist: no compiler to be found.
    const r = build(out, { ...process.env, PATH: '', CC: '/nonexistent/cc' });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^build-native: skipped \(.+\); Portscope will read \/proc\/net instead of netlink\.$/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it.skipIf(process.platform !== 'linux' || !hasCc)(
    `builds an addon the loader loads (Linux with cc${hasCc ? '' : ': skipped, no cc here'})`,
    () => {
      const out = join(dir, 'built', 'sock_diag.node');
      const r = build(out);
      expect(r.status, r.stderr).toBe(0);
      // Without the Node headers the script skips (exit 0); with them the file must load.
      if (!existsSync(out)) expect(r.stdout).toContain('skipped');
      else expect(loadSockDiag([out])?.probe()).toBeTypeOf('number');
    },
  );
});
