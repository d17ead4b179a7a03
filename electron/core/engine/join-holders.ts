import type { InodeOwners } from '../processes/inode-owners';
import type { RawSocket } from '../sources/types';

/**
 * Rows this module filled in: a source may hand back last poll's very objects when the kernel's
 * answer did not change (netlink), and those must be joined again, not taken as the source's PIDs.
 */
const JOINED = Symbol('joined');
type Marked = RawSocket & { [JOINED]?: true };

/** Whether the engine joins this row's holders (the source gave an inode and no holders). */
function needsJoin(r: Marked): boolean {
  return !!r.inode && ((r.pid === null && !r.pids) || r[JOINED] === true);
}

/**
 * Every holder of each socket a source reported by inode without holders (its `pid` null), from
 * the one inode → PIDs map; rows of other sources keep the PID they came with. A socket whose
 * last holder exited or closed it during this poll is being torn down: left out for this poll.
 */
export async function joinHolders(
  owners: InodeOwners,
  merged: Map<string, RawSocket>,
  signal?: AbortSignal,
): Promise<void> {
  const inodes: number[] = [];
  for (const r of merged.values()) if (needsJoin(r)) inodes.push(r.inode as number);
  if (inodes.length === 0) return;
  const held = await owners.resolve(inodes, signal);
  for (const [key, r] of merged) {
    if (!needsJoin(r)) continue;
    const inode = r.inode as number;
    if (owners.closingWithOwner(inode)) {
      merged.delete(key);
      continue;
    }
    // Filled in place, no copy per socket per tick (marked, so a reused object is joined afresh).
    r.pids = held.get(inode) ?? [];
    r.pid = r.pids[0] ?? null;
    // A mark on the object rather than a WeakSet: adding 25,000 objects to a WeakSet every full
    // poll cost more than the join itself.
    (r as Marked)[JOINED] = true;
  }
}
