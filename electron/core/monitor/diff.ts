import type { ProcessInfo, SocketRow } from '../../../shared/model';
import { sameTraffic } from '../engine/traffic';

/**
 * CPU and memory are left out on purpose: they move on every slow-clock refresh, and counting them
 * resent every socket of a busy process (10,000 rows every 5 s under the bench load). The table does
 * not show them; the details panel asks for them with 'process:usage'.
 */
function sameProcess(a: ProcessInfo | null, b: ProcessInfo | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.startId === b.startId &&
    a.name === b.name &&
    a.command === b.command &&
    a.path === b.path &&
    a.user === b.user &&
    a.realUser === b.realUser &&
    a.startTime === b.startTime &&
    a.ppid === b.ppid
  );
}

function sameOwners(a: SocketRow['owners'], b: SocketRow['owners']): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x?.pid !== y?.pid || !sameProcess(x?.process ?? null, y?.process ?? null)) return false;
  }
  return true;
}

/**
 * Whether two rows with the same key differ in anything the user can see now: the socket (state,
 * ends: a UDP socket may connect), every holder and its identity, and the kernel's own fields.
 */
export function sameRow(a: SocketRow, b: SocketRow): boolean {
  if (a === b) return true;
  return (
    a.state === b.state &&
    a.family === b.family &&
    a.service === b.service &&
    a.localAddress === b.localAddress &&
    a.localPort === b.localPort &&
    a.remoteAddress === b.remoteAddress &&
    a.remotePort === b.remotePort &&
    a.inode === b.inode &&
    a.uid === b.uid &&
    a.user === b.user &&
    a.device === b.device &&
    a.v6only === b.v6only &&
    a.zone === b.zone &&
    a.holder === b.holder &&
    a.remoteName === b.remoteName &&
    a.container?.id === b.container?.id &&
    a.pid === b.pid &&
    sameProcess(a.process, b.process) &&
    sameOwners(a.owners, b.owners) &&
    sameTraffic(a.traffic, b.traffic)
  );
}

export interface RowDiff {
  added: SocketRow[];
  removed: string[];
  changed: SocketRow[];
}

/** Diff two row sets by key. Cost is one map lookup per row, so a quiet machine diffs cheaply. */
export function diffRows(
  prev: ReadonlyMap<string, SocketRow>,
  next: ReadonlyMap<string, SocketRow>,
): RowDiff {
  const added: SocketRow[] = [];
  const changed: SocketRow[] = [];
  const removed: string[] = [];
  for (const [key, row] of next) {
    const old = prev.get(key);
    if (!old) added.push(row);
    else if (!sameRow(old, row)) changed.push(row);
  }
  for (const key of prev.keys()) if (!next.has(key)) removed.push(key);
  return { added, removed, changed };
}
