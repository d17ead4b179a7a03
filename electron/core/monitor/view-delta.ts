import type { Scope, SocketRow } from '../../../shared/model';
import { isListening } from '../../../shared/socket-rules';
import { diffRows, type RowDiff } from './diff';

/**
 * One client's view of the monitor's rows: 'all' is every row polled, 'listening' only the rows
 * `isListening` accepts (the same rule the engine's listening scope and the tray use).
 */

/** Whether `row` belongs to a view of `scope`. */
export function inScope(row: SocketRow, scope: Scope): boolean {
  return scope === 'all' || isListening(row);
}

/** The rows of `rows` a view of `scope` shows; 'all' returns the same map (no copy). */
export function viewOf(rows: ReadonlyMap<string, SocketRow>, scope: Scope): ReadonlyMap<string, SocketRow> {
  if (scope === 'all') return rows;
  const out = new Map<string, SocketRow>();
  for (const [key, row] of rows) if (isListening(row)) out.set(key, row);
  return out;
}

/**
 * The monitor's one diff (prev → next) seen through a view of `scope` that held exactly
 * viewOf(prev, scope): rows that enter the view are added, rows that leave it are removed.
 * Cost is per changed row, not per row, so a quiet machine stays cheap with many clients.
 */
export function filterDiff(prev: ReadonlyMap<string, SocketRow>, diff: RowDiff, scope: Scope): RowDiff {
  if (scope === 'all') return diff;
  const added = diff.added.filter((r) => isListening(r));
  const changed: SocketRow[] = [];
  const removed: string[] = [];
  for (const row of diff.changed) {
    const old = prev.get(row.key);
    const was = old !== undefined && isListening(old);
    const now = isListening(row);
    if (was && now) changed.push(row);
    else if (now) added.push(row);
    else if (was) removed.push(row.key);
  }
  for (const key of diff.removed) {
    const old = prev.get(key);
    if (old && isListening(old)) removed.push(key);
  }
  return { added, removed, changed };
}

/** The full diff between what a view held and what it shows now (after a scope change or a pause). */
export function diffViews(
  base: ReadonlyMap<string, SocketRow>,
  baseScope: Scope,
  next: ReadonlyMap<string, SocketRow>,
  scope: Scope,
): RowDiff {
  return diffRows(viewOf(base, baseScope), viewOf(next, scope));
}
