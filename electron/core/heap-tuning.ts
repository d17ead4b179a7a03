import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let tuned = false;

/**
 * A long-running Portscope (the desktop main process, `portscope serve`) keeps V8's young
 * generation at its starting size. V8 grows it (up to 2 × 16 MiB) after the allocation burst of a
 * first poll of 25,000 sockets and never gives it back, and a monitor that then idles for hours
 * pays that as resident memory: measured at 25,000 sockets in the All view, growth off took the
 * young generation from 32 MiB to 2–8 MiB, with the same CPU for a full poll. A one-shot command
 * (`list`, `who`) does not call this: it exits before memory matters and wants the fewest collections.
 * Only a tuning: V8 may ignore it, and nothing depends on it.
 */
export function tuneHeapForLongRun(): void {
  if (tuned) return;
  tuned = true;
  try {
    setFlagsFromString('--semi-space-growth-factor=1');
  } catch {
    // A runtime without the flag: the defaults are fine, only larger.
  }
}

/** A poll that changed at least this many rows is a burst worth giving memory back after. */
export const BURST_ROWS = 5000;
/** Quiet time after the last burst before collecting (a burst often comes in a few polls). */
const COMPACT_DELAY_MS = 2000;

let compactor: (() => void) | null | undefined;
let compactTimer: NodeJS.Timeout | null = null;

/** V8's full collection, where this runtime lets a program ask for one; else null. */
function fullCollection(): (() => void) | null {
  if (compactor !== undefined) return compactor;
  compactor = null;
  try {
    if (typeof globalThis.gc === 'function') compactor = globalThis.gc as () => void;
    else {
      setFlagsFromString('--expose-gc');
      // The flag makes a new context carry gc(); this one was made before it.
      const gc = runInNewContext('gc') as unknown;
      if (typeof gc === 'function') compactor = gc as () => void;
    }
  } catch {
    compactor = null;
  }
  return compactor;
}

/**
 * After a burst (the first poll of 25,000 sockets, a snapshot of them sent to a page) the garbage
 * stays resident until V8 next collects in full, which an idle monitor may not do for minutes:
 * once things are quiet again, collect once, so what the user's task manager shows is what the
 * monitor holds. Debounced; the timer never keeps a process alive. One full collection of a
 * 40 MB heap costs tens of ms, once per burst, never on an idle poll.
 */
export function compactSoon(): void {
  if (compactTimer) clearTimeout(compactTimer);
  compactTimer = setTimeout(() => {
    compactTimer = null;
    fullCollection()?.();
  }, COMPACT_DELAY_MS);
  compactTimer.unref?.();
}
