import type { KillPlan, ProcessIdentity, ProcessInfo, SocketRow } from '../../../shared/model';
import { label } from './messages';
import type { ProcEntry } from './proc-table';
import type { Resolution } from './resolve';

/**
 * What a kill would do, for the confirmation: the process (from the snapshot row the user saw,
 * else read from the OS), the sockets it holds in that snapshot, the descendants a tree kill ends,
 * and — when nothing would be sent — why.
 */
export function planFor(
  target: ProcessIdentity,
  res: Resolution,
  rows: readonly SocketRow[],
  _platform: NodeJS.Platform,
): KillPlan {
  const same = (r: SocketRow) =>
    r.pid === target.pid && (r.process === null || r.process.startId === target.startId);
  const sockets = rows.filter(same);
  const fromRow = sockets.find((r) => r.process)?.process ?? null;
  const root = res.kind === 'ok' || res.kind === 'refused' ? res.root : null;
  const process = fromRow ?? (root && root.startId === target.startId ? infoFromEntry(root) : null);
  const children =
    res.kind === 'ok'
      ? res.descendants.map((d) => ({ pid: d.pid, name: d.name, command: d.command, startId: d.startId }))
      : [];
  return {
    target: { pid: target.pid, startId: target.startId },
    process,
    sockets,
    children,
    refused: refusal(res, target),
  };
}

function refusal(res: Resolution, target: ProcessIdentity): string | null {
  if (res.kind === 'refused') return `${res.reason}.`;
  if (res.kind === 'not-found') return `PID ${target.pid} is no longer running.`;
  if (res.kind === 'changed')
    return `PID ${target.pid} now belongs to a different process (${label(res.now, target.pid)}) than the one you saw.`;
  return null;
}

/** Minimal ProcessInfo when the snapshot has no row for the process (e.g. `kill pid:<n>`). */
function infoFromEntry(e: ProcEntry): ProcessInfo {
  return {
    name: e.name,
    command: e.command,
    path: '',
    user: e.user ?? '',
    startTime: e.startTime ?? 0,
    startId: e.startId,
    ppid: e.ppid,
    cpu: null,
    memory: null,
  };
}
