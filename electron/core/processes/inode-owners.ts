import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { readdir } from 'node:fs/promises';

/**
 * Maps socket inodes to the PID that holds them by reading /proc/<pid>/fd symlinks
 * ("socket:[12345]"), the way ss -p and lsof do. A full scan costs one readlink per open fd on the
 * machine, so the map is cached: a poll only rescans when it meets inodes it has never seen, and
 * inodes a scan could not resolve (other users' processes, other PID namespaces) are remembered
 * until a new inode turns up, so a quiet machine never rescans.
 */
export class InodeOwners {
  private owners = new Map<number, number>();
  private unresolved = new Set<number>();
  /** Inodes whose cached owner exited since the last poll: their sockets are usually closing. */
  private orphaned = new Set<number>();
  /** Number of /proc scans so far (exposed for tests and the bench). */
  scans = 0;

  constructor(private readonly procRoot = '/proc') {}

  /** PIDs for the given inodes (null when no visible process holds the socket, e.g. TIME_WAIT). */
  async resolve(inodes: Iterable<number>, signal?: AbortSignal): Promise<Map<number, number | null>> {
    const wanted = [...inodes];
    this.dropDeadOwners();
    const unknown = wanted.filter((i) => i !== 0 && !this.owners.has(i) && !this.unresolved.has(i));
    if (unknown.length > 0) await this.scan(new Set(unknown), signal);
    const out = new Map<number, number | null>();
    for (const i of wanted) out.set(i, this.owners.get(i) ?? null);
    return out;
  }

  /**
   * True when this inode's owner exited since the last poll and no other process holds it: the
   * kernel is tearing the socket down (we read /proc/net a moment before the close). Showing it
   * for one poll as "not visible" would be wrong, so the source leaves it out; a socket that
   * really outlives its owner shows on the next poll as unresolved.
   */
  closingWithOwner(inode: number): boolean {
    return this.orphaned.has(inode) && !this.owners.has(inode);
  }

  /** Forget inodes no longer present, so the cache stays the size of the socket table. */
  retainOnly(present: Set<number>): void {
    for (const i of this.owners.keys()) if (!present.has(i)) this.owners.delete(i);
    for (const i of this.unresolved) if (!present.has(i)) this.unresolved.delete(i);
  }

  /** A cached owner that exited may have handed its socket on (fork, fd passing): look again. */
  private dropDeadOwners(): void {
    this.orphaned.clear();
    const alive = new Map<number, boolean>();
    for (const [inode, pid] of this.owners) {
      let ok = alive.get(pid);
      if (ok === undefined) {
        ok = pidExists(this.procRoot, pid);
        alive.set(pid, ok);
      }
      if (!ok) {
        this.owners.delete(inode);
        this.orphaned.add(inode);
      }
    }
  }

  /**
   * Walk /proc/<pid>/fd, newest PIDs first (new sockets usually belong to new processes), caching
   * every socket inode met, and stop as soon as every wanted inode is found. An abort (the poll's
   * time-out) stops the walk at the next process; owners found so far stay cached, and nothing is
   * marked unresolvable by a walk that did not finish.
   */
  private async scan(wanted: Set<number>, signal?: AbortSignal): Promise<void> {
    this.scans++;
    signal?.throwIfAborted();
    const pids = (await readdir(this.procRoot))
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .sort((a, b) => b - a);
    const missing = new Set(wanted);
    let walked = 0;
    for (const pid of pids) {
      const fdDir = `${this.procRoot}/${pid}/fd`;
      let fds: string[];
      try {
        fds = readdirSync(fdDir);
      } catch {
        continue; // gone, or not ours to read
      }
      // Sync readlinks: one syscall each, far cheaper than a promise per fd; one PID at a time.
      for (const fd of fds) {
        let link: string;
        try {
          link = readlinkSync(`${fdDir}/${fd}`);
        } catch {
          continue;
        }
        if (!link.startsWith('socket:[')) continue;
        const inode = Number(link.slice(8, -1));
        // The lowest PID that holds a shared socket is usually the parent that opened it.
        const prev = this.owners.get(inode);
        if (prev === undefined || pid < prev) this.owners.set(inode, pid);
        missing.delete(inode);
      }
      if (missing.size === 0) break;
      // Let timers and I/O run between processes on a machine with many of them.
      if (++walked % 64 === 0) {
        await new Promise((r) => setImmediate(r));
        signal?.throwIfAborted();
      }
    }
    // The unresolved ones got another chance as the scan walked past their owners, if any;
    // they do not stop an early exit, or one ownerless socket would make every scan a full one.
    for (const i of this.unresolved) if (this.owners.has(i)) this.unresolved.delete(i);
    // What a full scan could not place: remember, so the next quiet poll does not rescan.
    for (const i of missing) if (!this.orphaned.has(i)) this.unresolved.add(i);
  }
}

function pidExists(root: string, pid: number): boolean {
  return existsSync(`${root}/${pid}`);
}
