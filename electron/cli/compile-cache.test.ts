import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** bin/compile-cache.cjs: the launcher's guarded module.enableCompileCache (Node ≥ 22.1). */
const { enableCompileCache } = createRequire(__filename)('../../bin/compile-cache.cjs') as {
  enableCompileCache(mod: object, env: NodeJS.ProcessEnv, dir: string): string | null;
};

const root = mkdtempSync(join(tmpdir(), 'ps-compile-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A stand-in for node:module that records the folder it was given (this Node may not have one). */
function recorder() {
  const calls: string[] = [];
  return { calls, mod: { enableCompileCache: (dir: string) => calls.push(dir) } };
}

describe('compile cache', () => {
  it('creates a private (0700) folder and enables the cache there', () => {
    const { calls, mod } = recorder();
    const dir = join(root, 'fresh', 'cache');
    expect(enableCompileCache(mod, {}, dir)).toBe(dir);
    expect(calls).toEqual([dir]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('refuses a folder others can write, and a symlink', () => {
    const open = join(root, 'open');
    mkdirSync(open, { mode: 0o700 });
    chmodSync(open, 0o777);
    const link = join(root, 'link');
    symlinkSync(join(root, 'fresh'), link);
    for (const dir of [open, link]) {
      const { calls, mod } = recorder();
      expect(enableCompileCache(mod, {}, dir)).toBeNull();
      expect(calls).toEqual([]);
    }
  });

  it('does nothing on a Node without it, or when the user turned it off or chose a folder', () => {
    expect(enableCompileCache({}, {}, join(root, 'none'))).toBeNull();
    for (const env of [{ NODE_DISABLE_COMPILE_CACHE: '1' }, { NODE_COMPILE_CACHE: '/x' }]) {
      const { calls, mod } = recorder();
      expect(enableCompileCache(mod, env, join(root, 'off'))).toBeNull();
      expect(calls).toEqual([]);
    }
  });
});
