import { readdirSync, readlinkSync } from 'node:fs';
import { type FdScanAddon, holdersFromPairs, loadFdScan } from './fd-scan-addon';
import { readPpid, socketInodeOf } from './pid-fds';

/** What one pass over /proc found: inode → holder PIDs (unordered), and what it cost. */
export interface HolderScan {
  holders: Map<number, number[]>;
  /** Processes whose fd table was read. */
  processes: number;
  /** fd links read. */
  fds: number;
}

/**
 * Every process holding any of `inodes`, in one pass over /proc/<pid>/fd, reading nothing else.
 *
 * Why every process, even after the first holder is found: a socket's fd travels by fork (a
 * pre-fork server's master and its workers), SCM_RIGHTS and pidfd_getfd, and Linux shows user
 * space no count of the file references that point at a socket (sk_refcnt in /proc/net/tcp counts
 * kernel references, not fds), so no number says "that was the last holder". Without such a
 * proof the scan cannot stop early and stay exact, so it does not: it reads every fd table, as
 * `ss -p` and `lsof` do. What it saves is everything around that: no map of every fd, no process
 * metadata but the holders', and readlink only (no stat) per fd.
 *
 * The walk runs in C (native/fd_scan.c) when that addon is built: the same readlinks, without a
 * JS call, string and parse per fd (3× faster here); `native: null` forces the JS walk.
 */
export function scanSocketHolders(
  inodes: ReadonlySet<number>,
  procRoot = '/proc',
  native: FdScanAddon | null = loadFdScan(),
): HolderScan {
  if (inodes.size === 0) return { holders: new Map(), processes: 0, fds: 0 };
  if (native) {
    const r = native.scan(procRoot);
    return { holders: holdersFromPairs(r.pairs, inodes), processes: r.processes, fds: r.fds };
  }
  return scanInJs(inodes, procRoot);
}

/** The same walk in JS: where the addon is not built (no compiler, another libc…). */
function scanInJs(inodes: ReadonlySet<number>, procRoot: string): HolderScan {
  const holders = new Map<number, number[]>();
  let processes = 0;
  let fds = 0;
  for (const name of readdirSync(procRoot)) {
    const c = name.charCodeAt(0);
    if (c < 49 || c > 57) continue; // PIDs only (never 0-prefixed)
    const dir = `${procRoot}/${name}/fd/`;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue; // gone, or not ours to read (hidden holder: the row says so)
    }
    processes++;
    for (const fd of entries) {
      let link: string;
      try {
        link = readlinkSync(dir + fd);
      } catch {
        continue; // closed while we looked
      }
      fds++;
      const inode = socketInodeOf(link);
      if (inode === 0 || !inodes.has(inode)) continue;
      const pid = Number(name);
      const list = holders.get(inode);
      if (!list) holders.set(inode, [pid]);
      else if (!list.includes(pid)) list.push(pid);
    }
  }
  return { holders, processes, fds };
}

/** Holders parent before child (a holder after every holder among its ancestors), then by PID. */
export function parentFirst(pids: readonly number[], procRoot = '/proc'): number[] {
  if (pids.length < 2) return [...pids];
  const set = new Set(pids);
  const depth = new Map<number, number>();
  for (const pid of pids) {
    let d = 0;
    let p = readPpid(procRoot, pid);
    for (let hops = 0; p !== null && p > 1 && hops < 64; hops++) {
      if (set.has(p)) d++;
      p = readPpid(procRoot, p);
    }
    depth.set(pid, d);
  }
  return [...pids].sort((a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || a - b);
}
