import type { Owner, SocketRow } from '../../../shared/model';
import type { RawSocket } from '../sources/types';

/** Whether last poll's row still says everything this poll's raw socket says (owners aside). */
export function sameSocket(old: SocketRow, r: RawSocket, service: string | null): boolean {
  return (
    old.state === r.state &&
    old.family === r.family &&
    old.service === service &&
    old.localAddress === r.localAddress &&
    old.localPort === r.localPort &&
    old.remoteAddress === r.remoteAddress &&
    old.remotePort === r.remotePort &&
    old.inode === (r.inode ?? null) &&
    old.uid === (r.uid ?? null) &&
    old.device === (r.device ?? null) &&
    old.v6only === (r.v6only ?? null) &&
    old.zone === (r.zone ?? null)
  );
}

/** Same holders, each with the very same process object (the cache hands out one object per process). */
export function sameOwners(a: readonly Owner[], b: readonly Owner[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]?.pid !== b[i]?.pid || a[i]?.process !== b[i]?.process) return false;
  }
  return true;
}
