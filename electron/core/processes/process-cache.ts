import type { ProcessInfo } from '../../../shared/model';

/** Reads process metadata for a set of PIDs (PIDs it cannot read are simply absent). */
export interface ProcessReader {
  read(pids: readonly number[]): Promise<Map<number, ProcessInfo>>;
}

export interface ProcessCacheOptions {
  /** How often CPU and memory of known PIDs are refreshed (default 5 s). */
  refreshMs?: number;
  now?: () => number;
}

/**
 * Process metadata cached by (PID, start identity). A poll reads only PIDs it has not seen; every
 * `refreshMs` all current PIDs are re-read for CPU and memory, and an entry whose start identity
 * changed (the PID was reused) is replaced. PIDs that no longer own sockets are forgotten.
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

  /** Metadata for these PIDs (null when the process could not be read, e.g. it already exited). */
  async lookup(pids: Iterable<number>): Promise<Map<number, ProcessInfo | null>> {
    const want = new Set(pids);
    for (const pid of this.entries.keys()) if (!want.has(pid)) this.entries.delete(pid);
    const due = this.now() - this.lastRefresh >= this.refreshMs;
    const toRead = due ? [...want] : [...want].filter((p) => !this.entries.has(p));
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
