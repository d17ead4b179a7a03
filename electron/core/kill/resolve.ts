import type { ProcessIdentity } from '../../../shared/model';
import { type GuardContext, refusalReason } from './guard';
import { sameStart } from './proc-probe';
import { isZombie, listProcs, type ProcEntry, readProc } from './proc-table';
import { ancestorsOf, descendantsOf } from './tree';

/** The target and (for a tree kill) its descendants, or why nothing may be sent. */
export type Resolution =
  | { kind: 'ok'; root: ProcEntry; descendants: ProcEntry[] }
  | { kind: 'refused'; reason: string; root: ProcEntry | null }
  | { kind: 'not-found' }
  | { kind: 'changed'; now: ProcEntry };

/** Our own ancestors: walked one /proc read at a time on Linux, from the process list elsewhere. */
async function ownAncestors(platform: NodeJS.Platform, table: ProcEntry[] | null): Promise<number[]> {
  if (table) return ancestorsOf(process.pid, table);
  const out: number[] = [];
  let pid: number | null = process.ppid;
  while (pid !== null && pid > 0 && !out.includes(pid) && out.length < 4096) {
    out.push(pid);
    pid = (await readProc(pid, platform))?.ppid ?? null;
  }
  return out;
}

/**
 * Resolve a kill target right now: refuse what must never be signalled, report a target that is
 * gone or whose PID now belongs to another process, and (tree) collect every descendant with its
 * own start identity — all before the first signal.
 */
export async function resolveTarget(
  target: ProcessIdentity,
  tree: boolean,
  platform: NodeJS.Platform,
  protectedPids: readonly number[],
): Promise<Resolution> {
  const pid: unknown = target.pid;
  // Fast refusals that need no process table (non-integers, 0, 1, negatives, ourselves).
  const early = refusalReason(pid, null, guardBase(platform, protectedPids, []));
  if (early) return { kind: 'refused', reason: early, root: null };

  const linux = platform === 'linux';
  // Outside Linux every read is a full process list anyway, so take it once.
  const table = tree || !linux ? await listProcs(platform) : null;
  const ctx = guardBase(platform, protectedPids, await ownAncestors(platform, table));
  // The root is read fresh, never taken from the table: outside Linux that list may be cached.
  const root = await readProc(target.pid, platform, true);
  const reason = refusalReason(pid, root, ctx);
  if (reason) return { kind: 'refused', reason, root };
  if (!root || isZombie(root)) return { kind: 'not-found' };
  if (!sameStart(root.startId, target.startId, platform)) return { kind: 'changed', now: root };
  if (!tree || !table) return { kind: 'ok', root, descendants: [] };

  // Walk from the table's own entry for the root so start times compare within one list.
  const listedRoot = table.find((e) => e.pid === root.pid) ?? root;
  const descendants = descendantsOf(listedRoot, table, linux).filter((d) => !isZombie(d));
  for (const d of descendants) {
    const why = refusalReason(d.pid, d, ctx);
    if (why)
      return { kind: 'refused', reason: `its process tree includes a process that must live: ${why}`, root };
  }
  return { kind: 'ok', root, descendants };
}

function guardBase(
  platform: NodeJS.Platform,
  protectedPids: readonly number[],
  ancestors: number[],
): GuardContext {
  return { platform, selfPid: process.pid, ancestors, protectedPids };
}
