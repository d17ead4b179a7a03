import type { KillResult } from '../../../shared/model';
import { elevationCommand } from './elevation';
import { goneResult, type KillJob, stillRunningResult } from './job';
import { label, result } from './messages';
import { sameStart } from './proc-probe';
import { isZombie, type ProcEntry, readProc } from './proc-table';
import { waitGone } from './signal';
import type { ElevationRunner } from './types';

/**
 * Retry a kill with administrator rights. Identities are re-checked immediately before the prompt
 * and only the members that still match go into the fixed command (elevation.ts). Known limit: the
 * OS prompt runs `kill` on PIDs, so a PID reused while the person reads the prompt cannot be
 * detected by us; we check again afterwards and say so when the PID changed hands.
 */
export async function elevatedKill(job: KillJob, runner: ElevationRunner): Promise<KillResult> {
  const root = job.members[0] as ProcEntry;
  const live: ProcEntry[] = [];
  for (const [i, m] of job.members.entries()) {
    const now = await readProc(m.pid, job.platform);
    const gone = !now || isZombie(now);
    const changed = !gone && !sameStart(now.startId, m.startId, job.platform);
    if (i === 0 && gone)
      return result('not-found', m.pid, `${label(m, m.pid)} already exited; nothing was sent.`);
    if (i === 0 && changed)
      return result(
        'changed',
        m.pid,
        `PID ${m.pid} now belongs to a different process than the one you saw; nothing was sent.`,
      );
    if (!gone && !changed) live.push(m);
  }

  const signal = job.force ? 'KILL' : 'TERM';
  const { file, args } = elevationCommand(
    job.platform,
    signal,
    live.map((m) => m.pid),
  );
  const ran = await runner(file, args);
  if (ran.cancelled)
    return result(
      'elevation-cancelled',
      root.pid,
      'The administrator prompt was dismissed or not authorised; nothing was sent.',
      [],
      {
        canElevate: true,
      },
    );
  if (ran.code === null)
    return result(
      'permission-denied',
      root.pid,
      `Could not ask for administrator rights: ${firstLine(ran.stderr)}.`,
    );

  const signals = ran.code === 0 ? live.map((m) => ({ pid: m.pid, signal: `SIG${signal} (elevated)` })) : [];
  const survivors = await waitGone(live, job.graceMs, job.platform);
  if (survivors.length > 0) {
    const res = await stillRunningResult(job, survivors, signals, true);
    if (ran.code !== 0) res.message += ` The elevated command said: ${firstLine(ran.stderr)}.`;
    return res;
  }
  const after = await readProc(root.pid, job.platform);
  const res = await goneResult(job, signals, ' (with administrator rights)', true);
  if (after && !isZombie(after) && !sameStart(after.startId, root.startId, job.platform))
    res.message += ` PID ${root.pid} now belongs to a new process (${label(after, root.pid)}).`;
  return res;
}

function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').slice(0, 200) || 'no details';
}
