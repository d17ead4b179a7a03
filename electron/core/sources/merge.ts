import type { RawSocket } from './types';

type KeyFields = Pick<
  RawSocket,
  'protocol' | 'localAddress' | 'localPort' | 'remoteAddress' | 'remotePort' | 'pid' | 'cookie' | 'inode'
>;

/**
 * Stable identity of a socket across polls: what identifies the kernel socket, never its state.
 * The socket cookie (netlink) survives everything, even close() turning it into an orphan or a
 * TIME_WAIT; the inode (/proc/net) lives as long as a file descriptor refers to the socket. Sources
 * that know neither (systeminformation, ss without -e) fall back to the address tuple plus PID
 * (with SO_REUSEPORT two processes can hold the very same address and port).
 */
export function rowKey(r: KeyFields): string {
  if (r.cookie) return `${r.protocol}:c${r.cookie}`;
  if (r.inode) return `${r.protocol}:i${r.inode}`;
  return `${r.protocol}|${r.localAddress}|${r.localPort}|${r.remoteAddress ?? ''}|${r.remotePort ?? ''}|${r.pid ?? ''}`;
}

/**
 * Merge the rows of several sources without duplicates (by key, and by inode across a cookie
 * source and an inode source); earlier sources win. When one source saw
 * a socket's owner and another source reported the same socket without one, the ownerless copy
 * is dropped. Within one source an ownerless row stays: it may be another user's process sharing
 * the port (SO_REUSEPORT).
 */
export function mergeSockets(lists: readonly RawSocket[][]): Map<string, RawSocket> {
  const byKey = new Map<string, RawSocket>();
  if (lists.length === 1) {
    // One source: nothing to reconcile, only exact duplicates to drop (the common Linux case).
    for (const r of lists[0] ?? []) {
      const key = rowKey(r);
      if (!byKey.has(key)) byKey.set(key, r);
    }
    return byKey;
  }
  const from = new Map<string, number>();
  const ownedBy = new Map<string, Set<number>>();
  // One socket seen by a cookie source and by an inode source has two keys but one inode.
  const inodes = new Set<string>();
  lists.forEach((list, source) => {
    for (const r of list) {
      const key = rowKey(r);
      const inode = r.inode ? `${r.protocol}:i${r.inode}` : null;
      if (byKey.has(key) || (inode && inodes.has(inode))) continue;
      byKey.set(key, r);
      if (inode) inodes.add(inode);
      from.set(key, source);
      if (r.pid !== null) {
        const bare = rowKey({ ...r, pid: null });
        const set = ownedBy.get(bare) ?? new Set<number>();
        set.add(source);
        ownedBy.set(bare, set);
      }
    }
  });
  for (const [bare, sources] of ownedBy) {
    const src = from.get(bare);
    if (src !== undefined && !sources.has(src)) byKey.delete(bare);
  }
  return byKey;
}
