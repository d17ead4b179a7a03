import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ProcPidReader } from './proc-pid-info';
import { ProcessCache } from './process-cache';

describe.runIf(process.platform === 'linux')('process cache: identity on refresh, usage on demand', () => {
  it('a refresh keeps the cached object while start id and name hold; usage() samples anew', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const pid = child.pid as number;
      let now = 0;
      const reader = new ProcPidReader();
      let reads = 0;
      const counting = {
        read: (pids: readonly number[]) => {
          reads += pids.length;
          return reader.read(pids);
        },
        identity: (p: number) => reader.identity(p),
      };
      const cache = new ProcessCache(counting, { refreshMs: 1000, now: () => now });
      const first = (await cache.lookup([pid])).get(pid);
      expect(first?.startId).toBeTruthy();
      now += 5000; // a refresh is due: identity only, no full read, the same object
      const again = (await cache.lookup([pid])).get(pid);
      expect(again).toBe(first);
      expect(reads).toBe(1);
      const usage = await cache.usage(pid);
      expect(usage).not.toBe(first);
      expect(usage?.startId).toBe(first?.startId);
      expect(usage?.memory).toBeGreaterThan(0);
      expect(cache.get(pid)).toBe(first); // rows keep their identity
      expect(await cache.usage(process.pid)).toBeNull(); // not a shown process
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a PID that now names another process (exited) is dropped on the refresh', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const pid = child.pid as number;
    let now = 0;
    const cache = new ProcessCache(new ProcPidReader(), { refreshMs: 1000, now: () => now });
    expect((await cache.lookup([pid])).get(pid)).not.toBeNull();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    now += 5000;
    expect((await cache.lookup([pid])).get(pid)).toBeNull();
  });

  it('answers an idle poll from the cache only while lookup() would read nothing', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const pid = child.pid as number;
      let now = 0;
      const cache = new ProcessCache(new ProcPidReader(), { refreshMs: 1000, now: () => now });
      expect(cache.cachedIfCurrent(new Set([pid]))).toBeNull(); // never read
      const first = (await cache.lookup([pid])).get(pid);
      now += 500;
      expect(cache.cachedIfCurrent(new Set([pid]))?.get(pid)).toBe(first);
      expect(cache.cachedIfCurrent(new Set([pid, process.pid]))).toBeNull(); // one of them is new
      now += 600; // a refresh is due: the identity check must run
      expect(cache.cachedIfCurrent(new Set([pid]))).toBeNull();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
