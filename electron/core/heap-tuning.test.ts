import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
  vi.resetModules();
});

describe('compactSoon', () => {
  it('collects once, 2 s after the last of several bursts', async () => {
    vi.useFakeTimers();
    const gc = vi.fn();
    const had = (globalThis as { gc?: unknown }).gc;
    (globalThis as { gc?: unknown }).gc = gc;
    try {
      const { compactSoon } = await import('./heap-tuning');
      compactSoon();
      vi.advanceTimersByTime(1500);
      compactSoon(); // a second burst soon after the first: the quiet time starts again
      vi.advanceTimersByTime(1999);
      expect(gc).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(gc).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(60_000);
      expect(gc).toHaveBeenCalledTimes(1);
    } finally {
      (globalThis as { gc?: unknown }).gc = had;
    }
  });

  it('finds V8’s full collection without --expose-gc on the command line', async () => {
    const had = (globalThis as { gc?: unknown }).gc;
    delete (globalThis as { gc?: unknown }).gc;
    vi.useFakeTimers();
    try {
      const { compactSoon } = await import('./heap-tuning');
      const before = process.memoryUsage().heapUsed;
      // Garbage the collection can take back.
      let junk: unknown[] | null = Array.from({ length: 200_000 }, (_, i) => ({ i }));
      expect(junk.length).toBe(200_000);
      junk = null;
      compactSoon();
      vi.advanceTimersByTime(2000);
      expect(process.memoryUsage().heapUsed).toBeLessThan(before + 4 * 1024 * 1024);
    } finally {
      if (had) (globalThis as { gc?: unknown }).gc = had;
    }
  });
});
