import type { Delta, Protocol, SocketRow } from './model';
import { exposure, labelText, ownersSummary } from './socket-rules';

/**
 * "A new listener is reachable from the network": the opt-in notification for a port that starts
 * listening beyond loopback (0.0.0.0, ::, a LAN address). Pure and shared, like shared/port-watch.ts:
 * the desktop's watcher and the browser mode decide alike. Keyed by protocol and port, so a
 * dual-stack server (0.0.0.0 and ::) or a pre-fork server's SO_REUSEPORT siblings are one event, and
 * a port that was already reachable before the delta is not news.
 */

export interface NetworkListenerEvent {
  protocol: Protocol;
  port: number;
  /** Where it listens (the first row's local address). */
  address: string;
  /** Holders summarised ("node +3 workers") or null when none is visible; hostile text. */
  process: string | null;
  /** The first holder's friendly label and project, when known; hostile text. */
  label: string | null;
}

const key = (r: Pick<SocketRow, 'protocol' | 'localPort'>) => `${r.protocol}:${r.localPort}`;
const reach = (r: SocketRow) => (r.exposure !== undefined ? r.exposure : exposure(r));

/**
 * The ports a delta makes reachable from the network, given the listening rows before it. Cost:
 * one pass over the delta, plus one over the rows only when the delta adds a network listener.
 */
export function newNetworkListeners(
  prevRows: Iterable<SocketRow>,
  delta: Pick<Delta, 'added' | 'changed'>,
): NetworkListenerEvent[] {
  const candidates = new Map<string, SocketRow>();
  for (const r of [...delta.added, ...delta.changed]) {
    if (reach(r) === 'network' && !candidates.has(key(r))) candidates.set(key(r), r);
  }
  if (candidates.size === 0) return [];
  for (const r of prevRows) if (reach(r) === 'network') candidates.delete(key(r));
  return [...candidates.values()]
    .sort((a, b) => a.localPort - b.localPort || a.protocol.localeCompare(b.protocol))
    .map((r) => {
      const p = r.owners[0]?.process;
      const project = p?.project ? ` · ${p.project.name}` : '';
      return {
        protocol: r.protocol,
        port: r.localPort,
        address: r.localAddress,
        process: r.owners.length > 0 ? ownersSummary(r.owners) : null,
        label: p ? `${p.label ?? p.name}${project}` : null,
      };
    });
}

/** The notification text ("Port 5173 is reachable from the network (0.0.0.0): vite · shop-web"). */
export function networkListenerMessage(e: NetworkListenerEvent): string {
  const proto = e.protocol === 'udp' ? ' (UDP)' : '';
  const who = labelText(e.label ?? e.process ?? '').slice(0, 60);
  const where = labelText(e.address).slice(0, 46);
  return `Port ${e.port}${proto} is reachable from the network (${where})${who ? `: ${who}` : ''}`;
}
