import type { ProcessIdentity } from '../../../shared/model';
import { isZombie, readProc } from './proc-table';

/** How one checked signal went. */
export type SignalOutcome = 'sent' | 'gone' | 'changed' | 'eperm';

/** The outcome, and whether the process was stopped (state 'T'/'t') when we signalled it. */
export interface CheckedSignal {
  outcome: SignalOutcome;
  stopped: boolean;
}

/**
 * Send `signal` to the identity — only if the PID still belongs to the same process. The identity
 * is read right before the signal (Linux: one /proc read, so the window for PID reuse is tiny).
 * A zombie counts as gone: it has exited and only waits for its parent to reap it.
 */
export async function sendChecked(
  target: ProcessIdentity,
  signal: NodeJS.Signals,
  platform: NodeJS.Platform,
): Promise<CheckedSignal> {
  const entry = await readProc(target.pid, platform);
  if (!entry || isZombie(entry)) return { outcome: 'gone', stopped: false };
  if (entry.startId !== target.startId) return { outcome: 'changed', stopped: false };
  const stopped = entry.state === 'T' || entry.state === 't';
  try {
    process.kill(target.pid, signal);
    return { outcome: 'sent', stopped };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return { outcome: 'gone', stopped };
    if (code === 'EPERM') return { outcome: 'eperm', stopped };
    throw error;
  }
}

/** True when the identity no longer names a live process (exited, reaped, zombie, or PID reused). */
export async function isGone(target: ProcessIdentity, platform: NodeJS.Platform): Promise<boolean> {
  const entry = await readProc(target.pid, platform);
  return !entry || isZombie(entry) || entry.startId !== target.startId;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Wait up to `ms` for every identity to be gone; returns the ones still alive. Polls often at
 * first (most processes exit within milliseconds of SIGTERM) and then every 100 ms.
 */
export async function waitGone(
  targets: readonly ProcessIdentity[],
  ms: number,
  platform: NodeJS.Platform,
): Promise<ProcessIdentity[]> {
  const deadline = Date.now() + ms;
  let alive = [...targets];
  for (let step = 10; ; step = Math.min(step * 2, 100)) {
    const gone = await Promise.all(alive.map((t) => isGone(t, platform)));
    alive = alive.filter((_, i) => !gone[i]);
    const left = deadline - Date.now();
    if (alive.length === 0 || left <= 0) return alive;
    await sleep(Math.min(step, left));
  }
}
