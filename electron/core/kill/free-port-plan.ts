import type { FreePortPlan, KillPlan, Owner, Protocol, SocketRow } from '../../../shared/model';
import { holdsPort, safeText } from '../../../shared/socket-rules';

/** The listening sockets that hold a port, split by whether this user can see who holds them. */
export interface PortHolders {
  sockets: SocketRow[];
  /** Sockets held by a process this user cannot see (no owners, holder 'hidden'). */
  hidden: SocketRow[];
  /** Every visible holder of those sockets, once each, in row order (parents before children). */
  holders: Owner[];
}

/** Who holds `port` in `rows`: the shared "holds a port" rule, then the union of the owners. */
export function portHolders(
  rows: readonly SocketRow[],
  port: number,
  protocol: Protocol | null,
): PortHolders {
  const sockets = rows.filter((r) => holdsPort(r, port, protocol));
  const hidden = sockets.filter((r) => r.owners.length === 0 && r.holder !== 'kernel');
  const byPid = new Map<number, Owner>();
  for (const r of sockets) for (const o of r.owners) if (!byPid.has(o.pid)) byPid.set(o.pid, o);
  return { sockets, hidden, holders: [...byPid.values()] };
}

/**
 * The holders none of whose ancestors is also a holder: the master of a pre-fork server, not its
 * workers (they are in the master's tree). `parentOf` walks the live process table; a holder
 * whose chain never meets another holder is a root of its own.
 */
export function topmostHolders(holders: readonly Owner[], parentOf: (pid: number) => number | null): Owner[] {
  const pids = new Set(holders.map((h) => h.pid));
  return holders.filter((h) => {
    const walked = new Set<number>([h.pid]);
    for (let p = parentOf(h.pid); p !== null && p > 0 && !walked.has(p); p = parentOf(p)) {
      if (pids.has(p)) return false;
      walked.add(p);
    }
    return true;
  });
}

/** "port 3000/tcp", or "port 53" when every protocol is meant. */
export function portText(port: number, protocol: Protocol | null): string {
  return protocol ? `port ${port}/${protocol}` : `port ${port}`;
}

/** "a process of user postgres you cannot see": the socket's user when the kernel told it. */
export function hiddenText(hidden: readonly SocketRow[]): string {
  const users = [...new Set(hidden.map((r) => r.user || (r.uid !== null ? `uid ${r.uid}` : '')))];
  const named = users.filter((u) => u !== '').map((u) => (u.startsWith('uid ') ? u : `user ${u}`));
  if (named.length === 0) return 'a process you cannot see';
  return `a process of ${named.map(safeText).join(' and ')} that you cannot see`;
}

/**
 * Put the plan together: the sockets, one tree plan per topmost holder, the hidden sockets, and —
 * when nothing visible can be signalled — why nothing will be sent.
 */
export function assembleFreePortPlan(
  port: number,
  protocol: Protocol | null,
  found: PortHolders,
  roots: KillPlan[],
): FreePortPlan {
  return {
    port,
    protocol,
    sockets: found.sockets,
    roots,
    hidden: found.hidden,
    refused: planRefusal(port, protocol, found, roots),
  };
}

function planRefusal(
  port: number,
  protocol: Protocol | null,
  found: PortHolders,
  roots: readonly KillPlan[],
): string | null {
  const what = portText(port, protocol);
  if (found.sockets.length === 0) return `Nothing holds ${what} any more.`;
  if (roots.some((r) => r.refused === null)) return null;
  if (roots.length === 0)
    return found.hidden.length > 0
      ? `${capital(what)} is held by ${hiddenText(found.hidden)}; run Portscope as that user or as root to end it.`
      : `${capital(what)} is held by no process that can be signalled.`;
  return roots
    .map((r) => `${safeText(r.process?.name || 'PID')} (PID ${r.target.pid}): ${safeText(r.refused ?? '')}`)
    .join(' ');
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
