import type { Monitor } from '../monitor/monitor';

/**
 * Resolves after the monitor finished `count` more polls (each poll emits a delta to every view,
 * empty on a quiet machine). Tests wait on this event, never on a timer: "nothing happened" is
 * checked after the engine has looked again.
 */
export function nextPolls(monitor: Monitor, count = 1): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const view = monitor.subscribe({ scope: 'listening', observed: false }, (ev) => {
      if (ev.type !== 'delta' || ++seen < count) return;
      queueMicrotask(() => view.close());
      resolve();
    });
  });
}

/** Polls `check` every 20 ms until it is true; fails after `ms` (a bounded wait for an outside fact). */
export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
