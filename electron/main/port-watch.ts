import type { Protocol, SocketRow } from '../../shared/model';
import { isListening } from './tray-menu';

/**
 * Notifications for watched ports ("port 5432 opened by postgres", "port 3000 closed"): which watched
 * ports started or stopped listening between two states of the table. Pure: unit-tested. Only ports
 * on the user's list ever produce a change; the caller also checks that notifications are on.
 */

export interface PortChange {
  kind: 'opened' | 'closed';
  protocol: Protocol;
  port: number;
  /** Owner's process name when known (opened only). */
  owner: string | null;
}

/** protocol:port → owner name ('' when not visible), for the listening rows on watched ports. */
export function watchedListeners(
  rows: readonly SocketRow[],
  watched: ReadonlySet<number>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rows) {
    if (!watched.has(r.localPort) || !isListening(r)) continue;
    const key = `${r.protocol}:${r.localPort}`;
    if (!out.get(key)) out.set(key, r.process?.name ?? '');
  }
  return out;
}

/** What opened and closed between two watchedListeners() results, ordered by port. */
export function portChanges(before: Map<string, string>, after: Map<string, string>): PortChange[] {
  const changes: PortChange[] = [];
  const parse = (key: string) => {
    const [protocol, port] = key.split(':');
    return { protocol: protocol as Protocol, port: Number(port) };
  };
  for (const [key, owner] of after) {
    if (!before.has(key)) changes.push({ kind: 'opened', ...parse(key), owner: owner || null });
  }
  for (const key of before.keys()) {
    if (!after.has(key)) changes.push({ kind: 'closed', ...parse(key), owner: null });
  }
  return changes.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The notification text; the process name is hostile input, so it is cleaned and cut. */
export function changeMessage(c: PortChange): string {
  const proto = c.protocol === 'udp' ? ' (UDP)' : '';
  if (c.kind === 'closed') return `Port ${c.port}${proto} closed`;
  const name = (c.owner ?? '').replace(UNSAFE, '').trim().slice(0, 60);
  return name ? `Port ${c.port}${proto} opened by ${name}` : `Port ${c.port}${proto} opened`;
}
