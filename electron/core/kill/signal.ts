import type { ProcessIdentity } from '../../../shared/model';
import { sameStart } from './proc-probe';
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
  if (!sameStart(entry.startId, target.startId, platform)) return { outcome: 'changed', stopped: false };
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
  return !entry || isZombie(entry) || !sameStart(entry.startId, target.startId, platform);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Outside Linux a full identity read is a whole process list (slow): first ask the kernel cheaply. */
function surelyGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Wait up to `ms` for every identity to be gone; returns the ones still alive. `gone` is the
 * liveness probe (a fresh identity read; tests of the timing give their own). Polls often at
 * first (most processes exit within milliseconds of SIGTERM) and then every 100 ms. Outside Linux
 * the loop uses the cheap signal-0 probe and reads identities (zombies, reused PIDs) once at the end.
 */
export async function waitGone(
  targets: readonly ProcessIdentity[],
  ms: number,
  platform: NodeJS.Platform,
  gone: (target: ProcessIdentity, platform: NodeJS.Platform) => Promise<boolean> = isGone,
): Promise<ProcessIdentity[]> {
  const deadline = Date.now() + ms;
  const linux = platform === 'linux';
  let alive = [...targets];
  for (let step = 10; ; step = Math.min(step * 2, 100)) {
    const done = linux
      ? await Promise.all(alive.map((t) => gone(t, platform)))
      : alive.map((t) => surelyGone(t.pid));
    alive = alive.filter((_, i) => !done[i]);
    const left = deadline - Date.now();
    if (alive.length === 0) return alive;
    if (left <= 0) break;
    await sleep(Math.min(step, left));
  }
  if (linux) return alive;
  const done = await Promise.all(alive.map((t) => gone(t, platform)));
  return alive.filter((_, i) => !done[i]);
}
