import type { KillResult } from '../../../shared/model';
import { goneResult, type KillJob, stillRunningResult } from './job';
import { label, result, treeNote } from './messages';
import type { ProcEntry } from './proc-table';
import { type CheckedSignal, sendChecked, waitGone } from './signal';
import { taskkillChecked } from './windows';

/**
 * Send the signals of one kill and report truthfully what happened.
 *
 * Order: the root first, then its descendants top-down, all in one pass with no wait in between.
 * Root first so a supervisor (npm, nodemon, a shell loop) is told to stop before it can notice a
 * dead child and respawn it; all in one pass so nobody is left orphaned for long. Children that
 * get re-parented when the root exits are still reached: their identities were taken before the
 * first signal, and each is re-checked right before its own signal.
 */
export async function signalKill(job: KillJob): Promise<KillResult> {
  const windows = job.platform === 'win32';
  const sig: NodeJS.Signals = job.force ? 'SIGKILL' : 'SIGTERM';
  const sigName = windows ? (job.force ? 'taskkill /F' : 'taskkill') : sig;
  const send = (m: ProcEntry, s: NodeJS.Signals): Promise<CheckedSignal> =>
    windows ? taskkillChecked(m, job.force) : sendChecked(m, s, job.platform);
  const root = job.members[0] as ProcEntry;
  const signals: KillResult['signals'] = [];
  const sent: ProcEntry[] = [];
  const denied: ProcEntry[] = [];

  for (const [i, m] of job.members.entries()) {
    const r = await send(m, sig);
    if (i === 0 && r.outcome !== 'sent') return rootNotSent(r, root);
    if (r.outcome === 'eperm') denied.push(m);
    if (r.outcome !== 'sent') continue; // a descendant that exited or changed meanwhile is left alone
    signals.push({ pid: m.pid, signal: sigName });
    sent.push(m);
    // A stopped process keeps SIGTERM pending until it runs again: wake it so it can act on it.
    if (r.stopped && sig === 'SIGTERM' && !windows) {
      const cont = await sendChecked(m, 'SIGCONT', job.platform);
      if (cont.outcome === 'sent') signals.push({ pid: m.pid, signal: 'SIGCONT' });
    }
  }

  const survivors = await waitGone(sent, job.graceMs, job.platform);
  if (denied.length > 0) {
    const message = `${denied.length} process${denied.length > 1 ? 'es' : ''} in the tree of ${label(root, root.pid)} belong to another user and got no signal; retry as administrator to end ${denied.length > 1 ? 'them' : 'it'}.`;
    return result('permission-denied', root.pid, message, signals, {
      canElevate: true,
      canForce: survivors.length > 0,
    });
  }
  if (survivors.length > 0) return await stillRunningResult(job, survivors, signals, false);
  return goneResult(job, signals, job.force ? ' (force-killed)' : '', false);

  function rootNotSent(r: CheckedSignal, who: ProcEntry): KillResult {
    const name = label(who, who.pid);
    if (r.outcome === 'gone')
      return result('not-found', who.pid, `${name} already exited; nothing was sent.`);
    if (r.outcome === 'changed')
      return result(
        'changed',
        who.pid,
        `PID ${who.pid} now belongs to a different process than the one you saw; nothing was sent.`,
      );
    return result(
      'permission-denied',
      who.pid,
      `${name}${treeNote(job.members.length)} belongs to another user${who.user ? ` (${who.user})` : ''}, so Portscope may not end it; retry as administrator.`,
      [],
      { canElevate: true },
    );
  }
}
