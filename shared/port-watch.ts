import type { Delta, Protocol, SocketRow } from './model';
import { holderText, isListening, labelText, ownersSummary } from './socket-rules';

/**
 * Notifications for watched ports ("Port 5432 opened by postgres", "Port 3000 closed"): which watched
 * ports started or stopped listening between two states of the table. Pure and shared: the Electron
 * main process and the browser-mode renderer both use these functions, so the two front doors can
 * never disagree about what counts as news. Only ports on the user's list ever produce an event; the
 * caller also checks that notifications are on.
 */

export interface WatchedPortEvent {
  kind: 'opened' | 'closed';
  protocol: Protocol;
  port: number;
  /** Every holder summarised ("nginx +4 workers") when visible (opened only); hostile text, see changeMessage(). */
  process: string | null;
  /** The shared wording (holderText) when no holder is visible (opened only). */
  holder?: string | null;
}

/** Who holds a watched port: its holders summarised, or the wording for a holder not visible. */
export interface PortHolder {
  name: string | null;
  hidden: string | null;
}

/** protocol:port → who holds it, for the listening rows on watched ports (a visible holder wins). */
export function watchedListeners(
  rows: Iterable<SocketRow>,
  watched: ReadonlySet<number>,
): Map<string, PortHolder> {
  const out = new Map<string, PortHolder>();
  for (const r of rows) {
    if (!watched.has(r.localPort) || !isListening(r)) continue;
    const key = `${r.protocol}:${r.localPort}`;
    if (out.get(key)?.name) continue;
    out.set(
      key,
      r.owners.length > 0
        ? { name: ownersSummary(r.owners), hidden: null }
        : { name: null, hidden: holderText(r) },
    );
  }
  return out;
}

/** What opened and closed between two watchedListeners() results, ordered by port. */
export function portChanges(
  before: Map<string, PortHolder>,
  after: Map<string, PortHolder>,
): WatchedPortEvent[] {
  const changes: WatchedPortEvent[] = [];
  const parse = (key: string) => {
    const [protocol, port] = key.split(':');
    return { protocol: protocol as Protocol, port: Number(port) };
  };
  for (const [key, owner] of after) {
    if (!before.has(key)) {
      const event: WatchedPortEvent = { kind: 'opened', ...parse(key), process: owner.name };
      if (owner.hidden) event.holder = owner.hidden;
      changes.push(event);
    }
  }
  for (const key of before.keys()) {
    if (!after.has(key)) changes.push({ kind: 'closed', ...parse(key), process: null });
  }
  return changes.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

/**
 * The watched ports that a delta opens or closes, given the rows it applies to. Only rows on watched
 * ports are looked at, so the cost does not grow with the table; an empty list means no work at all.
 */
export function watchedPortEvents(
  prevRows: Iterable<SocketRow>,
  delta: Pick<Delta, 'added' | 'changed' | 'removed'>,
  watchedPorts: readonly number[],
): WatchedPortEvent[] {
  if (watchedPorts.length === 0) return [];
  const watched = new Set(watchedPorts);
  const next = new Map<string, SocketRow>();
  for (const r of prevRows) if (watched.has(r.localPort)) next.set(r.key, r);
  const before = watchedListeners(next.values(), watched);
  for (const key of delta.removed) next.delete(key);
  for (const r of delta.added) if (watched.has(r.localPort)) next.set(r.key, r);
  // A changed row keeps its key; its port cannot change, but its state (and so "listening") can.
  for (const r of delta.changed) if (watched.has(r.localPort)) next.set(r.key, r);
  return portChanges(before, watchedListeners(next.values(), watched));
}

/** The notification text; the process name is hostile input, so it is cleaned and cut. */
export function changeMessage(c: WatchedPortEvent): string {
  const proto = c.protocol === 'udp' ? ' (UDP)' : '';
  if (c.kind === 'closed') return `Port ${c.port}${proto} closed`;
  const name = labelText(c.process ?? '').slice(0, 60);
  if (name) return `Port ${c.port}${proto} opened by ${name}`;
  return c.holder ? `Port ${c.port}${proto} opened; holder ${c.holder}` : `Port ${c.port}${proto} opened`;
}
