import { startIdMs } from './proc-probe';
import type { ProcEntry } from './proc-table';

/**
 * Every descendant of `root`, parents before their children (breadth first), from one process
 * table read before the first signal. Each entry keeps its own startId, so every one of them is
 * re-checked before its signal.
 *
 * Outside Linux a parent PID can be stale (the parent exited and its PID was reused; Windows never
 * re-parents), so a "child" that started before its supposed parent is not counted as one.
 */
export function descendantsOf(root: ProcEntry, table: readonly ProcEntry[], linux: boolean): ProcEntry[] {
  const byParent = new Map<number, ProcEntry[]>();
  for (const e of table) {
    if (e.ppid === null || e.pid === e.ppid) continue;
    const list = byParent.get(e.ppid) ?? [];
    list.push(e);
    byParent.set(e.ppid, list);
  }
  const out: ProcEntry[] = [];
  const seen = new Set<number>([root.pid]);
  const queue: ProcEntry[] = [root];
  while (queue.length > 0) {
    const parent = queue.shift() as ProcEntry;
    for (const child of byParent.get(parent.pid) ?? []) {
      if (seen.has(child.pid)) continue;
      if (!linux && !startedNoEarlier(child.startId, parent.startId)) continue;
      seen.add(child.pid);
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/**
 * systeminformation start ids ('s:YYYY-MM-DD HH:MM:SS') are derived from elapsed time, so a child
 * started in the same second as its parent can read a second earlier: allow the same 2 s slack
 * the identity check uses. Unknown formats → trust the ppid.
 */
function startedNoEarlier(child: string, parent: string): boolean {
  const c = startIdMs(child);
  const p = startIdMs(parent);
  if (c === null || p === null) return true;
  return c >= p - 2000;
}

/** The chain of parents of `pid` (not including pid itself), nearest first. */
export function ancestorsOf(pid: number, table: readonly ProcEntry[]): number[] {
  const byPid = new Map(table.map((e) => [e.pid, e]));
  const out: number[] = [];
  let current = byPid.get(pid)?.ppid ?? null;
  while (current !== null && current > 0 && !out.includes(current)) {
    out.push(current);
    current = byPid.get(current)?.ppid ?? null;
  }
  return out;
}
