import type { ProcessInfo, SocketRow } from '../../shared/model';
import { compareRows, formatAddress, formatEndpoint } from './list-format';
import { safeText } from './text';

/** How `portscope who <port>` groups and prints the holders of one port. Pure. */

/** One process (or the invisible owner, pid null) and its sockets on the port. */
export interface Holder {
  pid: number | null;
  process: ProcessInfo | null;
  sockets: SocketRow[];
}

const isBound = (r: SocketRow) => r.state === 'LISTEN' || r.state === 'UNCONN';

/**
 * The rows whose local port is exactly `port`, grouped by PID. Holders of a listener or bound UDP
 * socket come first, then holders of connections only; sockets inside a holder likewise.
 */
export function findHolders(rows: readonly SocketRow[], port: number): Holder[] {
  const byPid = new Map<string, Holder>();
  for (const row of rows) {
    if (row.localPort !== port) continue;
    const id = row.pid === null ? 'none' : String(row.pid);
    let holder = byPid.get(id);
    if (!holder) {
      holder = { pid: row.pid, process: row.process, sockets: [] };
      byPid.set(id, holder);
    }
    if (!holder.process && row.process) holder.process = row.process;
    holder.sockets.push(row);
  }
  const holders = [...byPid.values()];
  for (const h of holders)
    h.sockets.sort((a, b) => Number(isBound(b)) - Number(isBound(a)) || compareRows(a, b));
  const rank = (h: Holder) => (h.sockets.some(isBound) ? 0 : 1) + (h.pid === null ? 2 : 0);
  return holders.sort((a, b) => rank(a) - rank(b) || (a.pid ?? 0) - (b.pid ?? 0));
}

const two = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time "YYYY-MM-DD HH:MM:SS". */
export function formatLocalTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** "3d 4h", "2h 5m", "5m 3s", "12s": how long ago, in the two largest units. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

function socketLine(r: SocketRow): string {
  const local = `${formatAddress(r.localAddress, r.family)}:${r.localPort}`;
  const remote =
    r.remoteAddress !== null ? ` → ${formatEndpoint(r.remoteAddress, r.remotePort, r.family)}` : '';
  const service = r.service ? ` (${safeText(r.service)})` : '';
  return `${r.protocol} ${local} ${r.state}${remote}${service}`;
}

/**
 * The people-readable answer: one block per holder. `now` is injected so output is testable;
 * `privileged` (running as root) changes what an invisible owner can mean.
 */
export function formatHolders(
  port: number,
  holders: readonly Holder[],
  now: number,
  privileged = false,
): string {
  const out: string[] = [];
  for (const h of holders) {
    if (h.pid === null) {
      out.push(
        privileged
          ? '(owner not visible even to root: e.g. a socket of another container or network namespace)'
          : '(owner not visible: a process of another user; run as root/administrator to see it)',
      );
    } else {
      const name = h.process ? safeText(h.process.name) : '(exited)';
      out.push(`${name} (PID ${h.pid})`);
      if (h.process) {
        const p = h.process;
        out.push(`  command  ${safeText(p.command) || '(unreadable)'}`);
        if (p.path) out.push(`  path     ${safeText(p.path)}`);
        out.push(`  user     ${safeText(p.user) || '(unknown)'}`);
        if (p.startTime > 0) {
          out.push(`  started  ${formatLocalTime(p.startTime)} (${formatAge(now - p.startTime)} ago)`);
        }
      }
    }
    h.sockets.forEach((s, i) => {
      out.push(`  ${i === 0 ? 'sockets' : '       '}  ${socketLine(s)}`);
    });
    out.push('');
  }
  const n = holders.length;
  const head = `Port ${port} is held by ${n} process${n === 1 ? '' : 'es'}:\n\n`;
  return head + out.join('\n');
}
