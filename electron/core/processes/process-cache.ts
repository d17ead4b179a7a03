import type { ProcessInfo } from '../../../shared/model';

/** Reads process metadata for a set of PIDs (PIDs it cannot read are simply absent). */
export interface ProcessReader {
  read(pids: readonly number[]): Promise<Map<number, ProcessInfo>>;
  /**
   * What tells this process apart from the one cached (start id and name: a reused PID or an
   * exec), cheaper than a full read; null when gone. Readers without it are re-read in full.
   */
  identity?(pid: number): { startId: string; name: string } | null;
}

export interface ProcessCacheOptions {
  /** How often CPU and memory of known PIDs are refreshed (default 5 s). */
  refreshMs?: number;
  now?: () => number;
}

/**
 * Process metadata cached by (PID, start identity). A poll reads only PIDs it has not seen; every
 * `refreshMs` the current PIDs are checked, and an entry whose start identity or name changed (the
 * PID was reused, the process exec'd) is replaced. With a reader that can tell identity cheaply
 * (Linux: one /proc/<pid>/stat read) that check is all a refresh costs: CPU and memory are sampled
 * only when a client asks (usage(), the details panel), not for every process on every refresh.
 * PIDs that no longer own sockets are forgotten.
 */
export class ProcessCache {
  private entries = new Map<number, ProcessInfo>();
  private lastRefresh = 0;
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(
    private readonly reader: ProcessReader,
    opts: ProcessCacheOptions = {},
  ) {
    this.refreshMs = opts.refreshMs ?? 5000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * The cached metadata of every one of these PIDs when lookup() would read nothing now (no refresh
   * due, none of them new): the idle poll's answer without a read, a timer or a promise. Else null.
   */
  cachedIfCurrent(pids: ReadonlySet<number>): Map<number, ProcessInfo | null> | null {
    if (this.now() - this.lastRefresh >= this.refreshMs) return null;
    const out = new Map<number, ProcessInfo | null>();
    for (const pid of pids) {
      const info = this.entries.get(pid);
      if (!info) return null;
      out.set(pid, info);
    }
    return out;
  }

  /** Metadata for these PIDs (null when the process could not be read, e.g. it already exited). */
  async lookup(pids: Iterable<number>): Promise<Map<number, ProcessInfo | null>> {
    const want = new Set(pids);
    for (const pid of this.entries.keys()) if (!want.has(pid)) this.entries.delete(pid);
    const due = this.now() - this.lastRefresh >= this.refreshMs;
    const toRead = due && !this.reader.identity ? [...want] : [...want].filter((p) => !this.entries.has(p));
    if (due && this.reader.identity) {
      for (const [pid, old] of this.entries) {
        const id = this.reader.identity(pid);
        if (!id || id.startId !== old.startId || id.name !== old.name) toRead.push(pid);
      }
    }
    if (toRead.length > 0) {
      const fresh = await this.reader.read(toRead);
      for (const pid of toRead) {
        const info = fresh.get(pid);
        const old = this.entries.get(pid);
        if (!info) this.entries.delete(pid);
        // Keep the old object when only noise moved: every row of that process would otherwise
        // be 'changed' in the next delta (thousands for a busy server) for a 0.1% CPU wiggle.
        else if (!old || !similar(old, info)) this.entries.set(pid, info);
      }
    }
    if (due) this.lastRefresh = this.now();
    const out = new Map<number, ProcessInfo | null>();
    for (const pid of want) out.set(pid, this.entries.get(pid) ?? null);
    return out;
  }

  /**
   * Fresh CPU and memory of a cached PID (read now; the cached object is left as it is, so rows
   * keep their identity); null when the PID is not cached or now names another process.
   */
  async usage(pid: number): Promise<ProcessInfo | null> {
    const cached = this.entries.get(pid);
    if (!cached) return null;
    const fresh = (await this.reader.read([pid])).get(pid);
    return fresh && fresh.startId === cached.startId ? fresh : null;
  }

  /** The cached metadata of a PID, if it owned a socket in the last poll. */
  get(pid: number): ProcessInfo | null {
    return this.entries.get(pid) ?? null;
  }
}

/** Same process, and CPU/memory within what a table shows as the same (1 point, 1 MiB or 2%). */
function similar(a: ProcessInfo, b: ProcessInfo): boolean {
  if (a.startId !== b.startId || a.name !== b.name || a.command !== b.command || a.user !== b.user)
    return false;
  if ((a.cpu === null) !== (b.cpu === null) || Math.abs((a.cpu ?? 0) - (b.cpu ?? 0)) >= 1) return false;
  if ((a.memory === null) !== (b.memory === null)) return false;
  const dm = Math.abs((a.memory ?? 0) - (b.memory ?? 0));
  return dm < Math.max(1024 * 1024, (a.memory ?? 0) * 0.02);
}
