import type { SocketRow } from '../../../../shared/model';
import { isListening } from '../../../../shared/socket-rules';

/**
 * Turning a port or a PID the user typed into the rows a kill would act on. Exact matches only:
 * port 3000 never finds 30001, and only listeners / bound UDP sockets own a port (a client
 * connected to 3000 does not).
 */

/** Rows still alive: the table keeps a closed row visible for a moment, but it is not a target. */
export function liveRows(
  rows: ReadonlyMap<string, SocketRow>,
  meta: ReadonlyMap<string, { removedAt: number | null }>,
): SocketRow[] {
  const out: SocketRow[] = [];
  for (const [key, row] of rows) if (!meta.get(key)?.removedAt) out.push(row);
  return out;
}

/**
 * The owners of a local port: one row per process (its IPv4 and IPv6 listeners are one owner),
 * TCP first. A row whose owner is not visible is kept, so the UI can say why it cannot act.
 */
export function portOwners(rows: Iterable<SocketRow>, port: number): SocketRow[] {
  const byPid = new Map<number | string, SocketRow>();
  for (const row of rows) {
    if (row.localPort !== port || !isListening(row)) continue;
    const id = row.pid ?? `hidden:${row.key}`;
    const had = byPid.get(id);
    if (!had || (had.protocol === 'udp' && row.protocol === 'tcp')) byPid.set(id, row);
  }
  return [...byPid.values()].sort((a, b) => (a.protocol === b.protocol ? 0 : a.protocol === 'tcp' ? -1 : 1));
}

/** A row of the given process (a listener when it has one), or null when no row shows it. */
export function rowOfPid(rows: Iterable<SocketRow>, pid: number): SocketRow | null {
  let found: SocketRow | null = null;
  for (const row of rows) {
    if (row.pid !== pid) continue;
    if (isListening(row)) return row;
    found ??= row;
  }
  return found;
}
