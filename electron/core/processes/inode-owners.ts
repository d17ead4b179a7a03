import { readdirSync, readlinkSync } from 'node:fs';
import { fdCount, lastPidCreated, type PidFds, readPidFds, readPpid, socketInodeOf } from './pid-fds';

/** fds the round-robin safety net readlinks again per poll (≈8 µs each, measured). */
const VERIFY_BUDGET = 8;

/**
 * Maps socket inodes to every PID that holds them, by reading /proc/<pid>/fd symlinks
 * ("socket:[12345]") the way `ss -p` and `lsof` do, and keeps that map true on a long-running
 * engine without rereading every fd table on every poll:
 * - the first poll reads every process once;
 * - each poll lists /proc (one readdir) and reads only processes not seen before (a forked worker
 *   inherits its parent's sockets), plus the parent of each new socket holder;
 * - a holder of a socket in the table whose fd count (`stat` of its fd dir) changed is re-read
 *   (a parent that handed its listener to a worker and closed its copy);
 * - dead PIDs are dropped;
 * - a bounded round-robin readlinks a few of the holders' fds again per poll (an fd handed over into a
 *   slot closed in the same poll keeps the count);
 * - an inode nobody is known to hold starts a walk, newest PIDs first, until it is found; what a
 *   whole walk cannot place (another user's process) is remembered until a new inode turns up.
 */
export class InodeOwners {
  private readonly pids = new Map<number, PidFds>();
  /**
   * Inode → its holders: one PID as a plain number (nearly every socket), a Set only when shared.
   * A Set per socket was 12 MB of the heap at 25,000 sockets.
   */
  private readonly holders = new Map<number, number | Set<number>>();
  private unresolved = new Set<number>();
  /** Inodes that lost their last holder this poll: their sockets are usually being torn down. */
  private readonly lost = new Set<number>();
  private primed = false;
  private ring: number[] = [];
  private ringAt = 0;
  /** The process the safety net is going through, its fd names then, and how far it got. */
  private verifyPid: number | null = null;
  private verifyNames: string[] = [];
  private verifyAt = 0;
  private readonly orderCache = new Map<string, number[]>();
  /**
   * Processes that held the last new sockets, most recent first: the likeliest holders of the next
   * ones (a browser replacing its WebSocket closes one and opens one, so its fd count, the first
   * hint, stays the same; PIDs wrap, so "newest first" by number can start with other processes).
   */
  private recentHolders: number[] = [];
  /** Answer per inode, dropped whenever its holder set changes. */
  private readonly orderOf = new Map<number, number[]>();
  /** Walks over /proc for unknown inodes (or the first full read); exposed for tests and the bench. */
  scans = 0;
  /** Single-process fd table reads; exposed for tests and the bench. */
  reads = 0;
  /** Listings of /proc; exposed for tests. */
  listings = 0;
  /**
   * Bumped whenever the holder set of an inode of the last resolve()'s table changes: the same
   * version means the same answer for that table. Sockets outside it (a browser's connections
   * while the Listening view is shown) come and go without making an idle poll do any work.
   */
  version = 0;
  /** The inodes of the last resolve(), so recheck() can look again at the same table. */
  private lastPresent: Set<number> | null = null;
  private tableHolderCache: { present: Set<number>; version: number; pids: Set<number> } | null = null;
  /** A recheck() that found changes already cleared `lost` and filled it: resolve() keeps it. */
  private keepLost = false;
  /** The newest PID the kernel had handed out at the last listing of /proc (null: not known). */
  private lastPidStamp: string | null = null;

  /**
   * `pidStamp` says whether any process was created since it last answered the same (default: the
   * kernel's last handed-out PID, for the real /proc only); null means "cannot tell: list /proc".
   */
  constructor(
    private readonly procRoot = '/proc',
    private readonly pidStamp: () => string | null = () => lastPidCreated(procRoot),
  ) {}

  /**
   * Bring the map up to date for these inodes (the sockets in this poll's table) and answer, for
   * each, every holder parent before child ([] when no visible process holds it).
   */
  async resolve(inodes: Iterable<number>, signal?: AbortSignal): Promise<{ get(inode: number): number[] }> {
    const present = new Set<number>();
    for (const i of inodes) if (i !== 0) present.add(i);
    const prior = this.lastPresent;
    this.lastPresent = present;
    if (!this.keepLost) this.lost.clear();
    this.keepLost = false;
    const alive = this.listPids();
    this.dropDead(alive);
    if (!this.primed) {
      await this.walk(alive, null, signal);
      this.primed = true;
    } else {
      this.refresh(alive, present);
    }
    const unknown = new Set<number>();
    for (const i of present)
      if (!this.holders.has(i) && !this.unresolved.has(i) && !this.lost.has(i)) unknown.add(i);
    if (unknown.size > 0) {
      await this.walk(alive, unknown, signal);
      // The walk stops at the first holder it meets (newest first: a forked worker). Its ancestors
      // may hold the same socket (the master of a pre-fork server bound it, then forked) while their
      // tables were read before the bind: look at those again, by fd count first.
      for (const i of unknown) for (const pid of pidsOf(this.holders.get(i))) this.recheckAncestors(pid);
    }
    if (prior) {
      const fresh: number[] = [];
      for (const i of present) if (!prior.has(i)) fresh.push(i);
      this.rememberHolders(fresh);
    }
    for (const i of this.unresolved) if (!present.has(i) || this.holders.has(i)) this.unresolved.delete(i);
    return { get: (inode) => this.holdersOf(inode) };
  }

  /**
   * The idle poll's check: the socket table is the very one of the last resolve(), so only what
   * can change behind an unchanged table is looked at (processes that came or went, fd counts of
   * the holders, the round-robin re-read): no per-inode work. True when any holder changed; the
   * caller then runs resolve() (which keeps what this found about closing sockets).
   */
  recheck(): boolean {
    const present = this.lastPresent;
    if (!present || !this.primed) return true;
    const before = this.version;
    this.lost.clear();
    this.keepLost = false;
    if (this.lastPidStamp !== null && this.lastPidStamp === this.pidStamp()) {
      // No process was created since the last listing: none is new, and a holder that exited shows
      // in its fd count (gone). Others that exited are dropped at the next listing.
      this.refresh([], present);
    } else {
      const alive = this.listPids();
      this.dropDead(alive);
      this.refresh(alive, present);
    }
    if (this.version === before) return false;
    this.keepLost = true;
    return true;
  }

  /** Holders of one inode, parent first; the same array until its holders change. */
  holdersOf(inode: number): number[] {
    let order = this.orderOf.get(inode);
    if (!order) {
      const held = this.holders.get(inode);
      if (held === undefined) return [];
      order = this.ordered(typeof held === 'number' ? new Set([held]) : held);
      this.orderOf.set(inode, order);
    }
    return order;
  }

  /**
   * True when this inode's last holder exited or closed it during this poll: the kernel is tearing
   * the socket down (the table was read a moment before). Showing it for one poll as "not visible"
   * would be wrong, so it is left out; a socket that really outlives its holders shows next poll.
   */
  closingWithOwner(inode: number): boolean {
    return this.lost.has(inode) && !this.holders.has(inode);
  }

  /** New processes, parents of new holders, holders whose fd count moved, a few in full. */
  private refresh(alive: number[], present: Set<number>): void {
    const parents = new Set<number>();
    for (const pid of alive) {
      if (this.pids.has(pid)) continue;
      const entry = this.read(pid, false);
      if (!entry || !holdsSocket(entry)) continue;
      const ppid = this.ppidOf(pid);
      if (ppid !== null && this.pids.has(ppid)) parents.add(ppid);
    }
    const tableHolders = this.tableHolders(present);
    for (const pid of tableHolders) {
      const entry = this.pids.get(pid);
      if (entry && (parents.has(pid) || fdCount(this.procRoot, pid) !== entry.count)) this.read(pid, true);
    }
    for (const pid of parents) if (!tableHolders.has(pid)) this.read(pid, true);
    this.verifySome(tableHolders);
  }

  /** PIDs holding any socket of the table; worked out again only when the table or a holder changed. */
  private tableHolders(present: Set<number>): Set<number> {
    const c = this.tableHolderCache;
    if (c && c.present === present && c.version === this.version) return c.pids;
    const pids = new Set<number>();
    for (const i of present) {
      const held = this.holders.get(i);
      if (typeof held === 'number') pids.add(held);
      else if (held) for (const pid of held) pids.add(pid);
    }
    this.tableHolderCache = { present, version: this.version, pids };
    return pids;
  }

  /** An inode's holders changed: news only when it is in the table being shown. */
  private touch(inode: number): void {
    if (this.lastPresent?.has(inode)) this.version++;
  }

  /** Forget the fd tables of processes no longer in /proc. */
  private dropDead(alive: number[]): void {
    const aliveSet = new Set(alive);
    for (const pid of [...this.pids.keys()]) if (!aliveSet.has(pid)) this.store(pid, null);
  }

  /**
   * The round-robin safety net: VERIFY_BUDGET of the holders' fds per poll are readlink'ed again
   * and compared with what the index holds, process after process, so a server with thousands of
   * sockets is checked in full every few minutes at an even cost (no 50 ms re-read of a 5,000-fd
   * table in one poll). What it catches is rare: an fd handed over or dup'ed into a slot that
   * was closed in the same poll (the count stayed). A mismatch re-reads that process in full.
   */
  private verifySome(tableHolders: Set<number>): void {
    let budget = VERIFY_BUDGET;
    let refills = 0;
    while (budget > 0) {
      const pid = this.verifyPid;
      const entry = pid === null ? undefined : this.pids.get(pid);
      if (pid === null || !entry || !tableHolders.has(pid) || this.verifyAt >= this.verifyNames.length) {
        if (this.ringAt >= this.ring.length) {
          if (refills++ > 0) return;
          this.ring = [...tableHolders];
          this.ringAt = 0;
          if (this.ring.length === 0) return;
        }
        const next = this.ring[this.ringAt++] as number;
        const nextEntry = this.pids.get(next);
        this.verifyPid = next;
        this.verifyNames = nextEntry ? [...nextEntry.fds.keys()] : [];
        this.verifyAt = 0;
        continue;
      }
      const dir = `${this.procRoot}/${pid}/fd/`;
      let changed = false;
      while (budget > 0 && this.verifyAt < this.verifyNames.length) {
        const name = this.verifyNames[this.verifyAt++] as string;
        const expected = entry.fds.get(name);
        if (expected === undefined) continue;
        budget--;
        let link: string;
        try {
          link = readlinkSync(dir + name);
        } catch {
          changed = true; // closed since: with an unchanged count, something else took its place
          break;
        }
        if (socketInodeOf(link) !== expected) {
          changed = true;
          break;
        }
      }
      if (changed) {
        this.read(pid, false);
        this.verifyAt = this.verifyNames.length;
      }
    }
  }

  /**
   * Walk /proc/<pid>/fd, newest PIDs first (new sockets usually belong to new processes), reading
   * each table in full, and stop once every wanted inode is found (`wanted` null: read them all).
   * An abort (the poll's time-out) stops at the next process; nothing is marked unresolvable by a
   * walk that did not finish.
   */
  private async walk(alive: number[], wanted: Set<number> | null, signal?: AbortSignal): Promise<void> {
    this.scans++;
    signal?.throwIfAborted();
    const missing = new Set(wanted ?? []);
    let walked = 0;
    for (const pid of wanted ? this.likelyFirst(alive) : alive) {
      const entry = this.read(pid, false);
      if (entry && missing.size > 0) for (const inode of entry.fds.values()) missing.delete(inode);
      if (wanted && missing.size === 0) break;
      // Let timers and I/O run between processes on a machine with many of them.
      if (++walked % 64 === 0) {
        await new Promise((r) => setImmediate(r));
        signal?.throwIfAborted();
      }
    }
    for (const i of missing) this.unresolved.add(i);
  }

  /**
   * The walk's order for new inodes: processes whose fd count moved since their table was read
   * (one `stat` each; a process that just opened or accepted a socket usually has) before the rest,
   * newest first. A process with thousands of unchanged fds is then read only when nothing likelier
   * holds the new socket (a close and an open between two polls keep the count: the walk goes on).
   */
  private likelyFirst(alive: number[]): number[] {
    const moved: number[] = [];
    const rest: number[] = [];
    const recent = new Set(this.recentHolders);
    const known: number[] = [];
    for (const pid of alive) {
      const entry = this.pids.get(pid);
      if (entry && fdCount(this.procRoot, pid) !== entry.count) moved.push(pid);
      else if (recent.has(pid)) known.push(pid);
      else rest.push(pid);
    }
    if (moved.length === 0 && known.length === 0) return alive;
    known.sort((a, b) => this.recentHolders.indexOf(a) - this.recentHolders.indexOf(b));
    return [...moved, ...known, ...rest];
  }

  /** Put the holders of these (just found) inodes at the front of recentHolders (at most 8). */
  private rememberHolders(inodes: Iterable<number>): void {
    const found: number[] = [];
    for (const i of inodes)
      for (const pid of pidsOf(this.holders.get(i))) if (!found.includes(pid)) found.push(pid);
    if (found.length === 0) return;
    this.recentHolders = [...found, ...this.recentHolders.filter((p) => !found.includes(p))].slice(0, 8);
  }

  /** PIDs in /proc, newest (highest) first. */
  private listPids(): number[] {
    // Read before the listing: a process created while /proc is listed moves it for the next poll.
    this.lastPidStamp = this.pidStamp();
    this.listings++;
    const pids: number[] = [];
    for (const name of readdirSync(this.procRoot)) {
      const c = name.charCodeAt(0);
      if (c < 49 || c > 57) continue;
      const pid = Number(name);
      if (Number.isInteger(pid)) pids.push(pid);
    }
    return pids.sort((a, b) => b - a);
  }

  /** Re-read one process (incrementally: only fd names not seen before) and update the index. */
  private read(pid: number, incremental: boolean): PidFds | null {
    this.reads++;
    const old = this.pids.get(pid);
    const entry = readPidFds(this.procRoot, pid, incremental ? old : undefined);
    if (entry && old) entry.ppid = old.ppid;
    this.store(pid, entry);
    return entry;
  }

  /** Replace a process's fd table (null: it is gone), keeping inode → holders in step. */
  private store(pid: number, entry: PidFds | null): void {
    const old = this.pids.get(pid);
    if (old) {
      const now = entry ? new Set(entry.fds.values()) : null;
      for (const inode of old.fds.values()) if (inode !== 0 && !now?.has(inode)) this.unhold(inode, pid);
    }
    if (!entry) {
      this.pids.delete(pid);
      this.orderCache.clear(); // its PID may come back as another process
      return;
    }
    this.pids.set(pid, entry);
    for (const inode of entry.fds.values()) {
      if (inode === 0) continue;
      const held = this.holders.get(inode);
      if (held === pid || (typeof held === 'object' && held.has(pid))) continue;
      if (held === undefined) this.holders.set(inode, pid);
      else if (typeof held === 'number') this.holders.set(inode, new Set([held, pid]));
      else held.add(pid);
      this.orderOf.delete(inode);
      this.touch(inode);
    }
  }

  private unhold(inode: number, pid: number): void {
    const held = this.holders.get(inode);
    if (held === undefined) return;
    if (typeof held === 'number') {
      if (held !== pid) return;
      this.holders.delete(inode);
    } else {
      if (!held.delete(pid)) return;
      // Back to one holder: a plain number again.
      if (held.size === 1) this.holders.set(inode, held.values().next().value as number);
    }
    this.orderOf.delete(inode);
    this.touch(inode);
    if (this.holders.has(inode)) return;
    this.lost.add(inode);
  }

  /** Re-read (incrementally) each known ancestor of `pid` whose fd count moved since its last read. */
  private recheckAncestors(pid: number): void {
    let p = this.ppidOf(pid);
    for (let hops = 0; p !== null && p > 1 && hops < 16; hops++) {
      const entry = this.pids.get(p);
      if (!entry) break;
      if (fdCount(this.procRoot, p) !== entry.count) this.read(p, true);
      p = this.ppidOf(p);
    }
  }

  private ppidOf(pid: number): number | null {
    const entry = this.pids.get(pid);
    if (!entry) return null;
    if (entry.ppid === undefined) entry.ppid = readPpid(this.procRoot, pid);
    return entry.ppid;
  }

  /** Parent before child: a holder comes after every holder among its ancestors; then by PID. */
  private ordered(set: Set<number>): number[] {
    // Keyed by the PID set, one array for all the sockets of one holder set (the engine shares the
    // rows' owner lists by this array: a server with 25,000 sockets has one, not 25,000).
    const key = set.size === 1 ? String(set.values().next().value) : [...set].sort((a, b) => a - b).join(',');
    if (set.size === 1) {
      const hit = this.orderCache.get(key);
      if (hit) return hit;
      const order = [...set];
      this.orderCache.set(key, order);
      return order;
    }
    const hit = this.orderCache.get(key);
    if (hit) return hit;
    const depth = new Map<number, number>();
    for (const pid of set) {
      let d = 0;
      let p = this.ppidOf(pid);
      for (let hops = 0; p !== null && p > 0 && hops < 64; hops++) {
        if (set.has(p)) d++;
        p = this.pids.has(p) ? this.ppidOf(p) : readPpid(this.procRoot, p);
      }
      depth.set(pid, d);
    }
    const order = [...set].sort((a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || a - b);
    // Keyed by the PID set: a pre-fork server's many sockets share one; PIDs die before reuse.
    if (this.orderCache.size > 1024) this.orderCache.clear();
    this.orderCache.set(key, order);
    return order;
  }
}

/** The PIDs of a holders entry (one number, or a Set of them). */
function pidsOf(held: number | Set<number> | undefined): Iterable<number> {
  return held === undefined ? [] : typeof held === 'number' ? [held] : held;
}

function holdsSocket(entry: PidFds): boolean {
  for (const inode of entry.fds.values()) if (inode !== 0) return true;
  return false;
}
