import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { waitGone } from './signal';

/** The grace-period wait is timing logic: checked on fake timers, with a scripted liveness probe. */
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const target = { pid: 4242, startId: '1' };

describe('waitGone', () => {
  it('waits the whole grace period for a process that stays, and not a moment longer', async () => {
    let settled: unknown = null;
    void waitGone([target], 3000, 'linux', async () => false).then((left) => {
      settled = left;
    });
    await vi.advanceTimersByTimeAsync(2999);
    expect(settled).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toEqual([target]);
  });

  it('answers at the next check once the process is gone (polls fast first, then every 100 ms)', async () => {
    let goneAt = Number.POSITIVE_INFINITY;
    const probe = async () => Date.now() >= goneAt;
    let settledAt: number | null = null;
    const start = Date.now();
    void waitGone([target], 3000, 'linux', probe).then(() => {
      settledAt = Date.now() - start;
    });
    await vi.advanceTimersByTimeAsync(500);
    goneAt = Date.now();
    await vi.advanceTimersByTimeAsync(100);
    expect(settledAt).not.toBeNull();
    expect(settledAt).toBeLessThanOrEqual(600);
  });

  it('returns at once when everything is already gone, without a timer', async () => {
    await expect(waitGone([target], 3000, 'linux', async () => true)).resolves.toEqual([]);
  });
});
