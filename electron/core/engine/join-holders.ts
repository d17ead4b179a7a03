import type { InodeOwners } from '../processes/inode-owners';
import type { RawSocket } from '../sources/types';

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
  for (const r of merged.values()) if (r.inode && r.pid === null && !r.pids) inodes.push(r.inode);
  if (inodes.length === 0) return;
  const held = await owners.resolve(inodes, signal);
  for (const [key, r] of merged) {
    if (!r.inode || r.pid !== null || r.pids) continue;
    if (owners.closingWithOwner(r.inode)) {
      merged.delete(key);
      continue;
    }
    // The source's objects are fresh each poll: filled in place, no copy per socket per tick.
    r.pids = held.get(r.inode) ?? [];
    r.pid = r.pids[0] ?? null;
  }
}
