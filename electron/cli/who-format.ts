import { protocolLabel } from '../../shared/format';
import type { Owner, SocketRow } from '../../shared/model';
import { holderText, isListening, safeText } from '../../shared/socket-rules';
import { compareRows, formatEndpoint, jsonRow, localEndpoint } from './list-format';
import { truncate } from './text';
import { behindLines } from './who-behind';

/** How `portscope who <port>` groups and prints the holders of one port. Pure. */

/**
 * One set of holders and its sockets on the port: the processes that hold them (parent first: a
 * pre-fork master and its workers are one group), or, with no visible process, one group per
 * wording (not visible as user X; kept by the kernel for up to N s).
 */
export interface Holder {
  /** Every holder, parent first; empty when no visible process holds these sockets. */
  owners: Owner[];
  /** 'process', or why there is none (see SocketRow.holder). */
  holder: SocketRow['holder'];
  sockets: SocketRow[];
}

function groupKey(row: SocketRow, privileged: boolean): string {
  if (row.holder === 'process') return `p:${row.owners.map((o) => o.pid).join(',')}`;
  return `${row.holder}:${holderText(row, privileged)}`;
}

/**
 * The rows whose local port is exactly `port`, grouped by their set of holders. Groups holding a
 * listener or bound UDP socket come first, then connection-only ones, then sockets nobody holds
 * (kernel-held); sockets inside a group likewise.
 */
export function findHolders(rows: readonly SocketRow[], port: number, privileged = false): Holder[] {
  const groups = new Map<string, Holder>();
  for (const row of rows) {
    if (row.localPort !== port) continue;
    const id = groupKey(row, privileged);
    let group = groups.get(id);
    if (!group) {
      group = { owners: row.owners, holder: row.holder, sockets: [] };
      groups.set(id, group);
    }
    group.sockets.push(row);
  }
  const out = [...groups.values()];
  for (const g of out)
    g.sockets.sort((a, b) => Number(isListening(b)) - Number(isListening(a)) || compareRows(a, b));
  const rank = (g: Holder) =>
    (g.sockets.some(isListening) ? 0 : 1) + (g.holder === 'hidden' ? 2 : g.holder === 'kernel' ? 4 : 0);
  return out.sort((a, b) => rank(a) - rank(b) || (a.owners[0]?.pid ?? 0) - (b.owners[0]?.pid ?? 0));
}

/** Whether a process (visible or not) holds any of these groups: `who` exits 1 otherwise. */
export function heldByProcess(groups: readonly Holder[]): boolean {
  return groups.some((g) => g.holder !== 'kernel');
}

/** `who --json`: one entry per group, `pid`/`process` being its first holder, sockets as JSON rows. */
export function holdersJson(groups: readonly Holder[]) {
  return groups.map((g) => ({
    pid: g.owners[0]?.pid ?? null,
    process: g.owners[0]?.process ?? null,
    owners: g.owners.map((o) => ({ pid: o.pid, process: o.process })),
    holder: g.holder,
    sockets: g.sockets.map(jsonRow),
  }));
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

/** "tcp6 [::]:8080 LISTEN (http-alt) network": the GUI's notation, service and reach when known. */
function socketLine(r: SocketRow): string {
  const remote =
    r.remoteAddress !== null ? ` → ${formatEndpoint(r.remoteAddress, r.remotePort, r.family)}` : '';
  const service = r.service ? ` (${safeText(r.service)})` : '';
  const reach = r.exposure ? ` ${r.exposure}` : '';
  return `${protocolLabel(r)} ${localEndpoint(r)} ${r.state}${remote}${service}${reach}`;
}

const ownerName = (o: Owner) => `${o.process ? safeText(o.process.name) : '(exited)'} (PID ${o.pid})`;

/** The heading and details of one group: its first holder in full, every other holder by name. */
function groupLines(g: Holder, now: number, privileged: boolean): string[] {
  const first = g.owners[0];
  const sample = g.sockets[0];
  if (!first || !sample) return sample ? [safeText(holderText(sample, privileged))] : [];
  const out = [ownerName(first)];
  if (g.owners.length > 1) out.push(`  holders  ${g.owners.map(ownerName).join(', ')}`);
  const p = first.process;
  if (p) {
    if (p.label && p.label !== p.name) out.push(`  label    ${safeText(p.label)}`);
    if (p.project) {
      const branch = p.project.branch ? ` (${safeText(p.project.branch)})` : '';
      out.push(`  project  ${safeText(p.project.name)}${branch}  ${safeText(p.project.dir)}`);
    }
    out.push(`  command  ${safeText(p.command) || '(unreadable)'}`);
    if (p.path) out.push(`  path     ${safeText(p.path)}`);
    const real = p.realUser && p.realUser !== p.user ? ` (real user ${safeText(p.realUser)})` : '';
    out.push(`  user     ${safeText(p.user) || '(unknown)'}${real}`);
    if (p.startTime > 0)
      out.push(`  started  ${formatLocalTime(p.startTime)} (${formatAge(now - p.startTime)} ago)`);
  }
  out.push(...behindLines(sample, p));
  return out;
}

/**
 * The people-readable answer: one block per set of holders (a pre-fork master and its workers
 * are one block naming them all, parent first). `now` is injected so output is testable;
 * `privileged` (running as root) changes what an invisible holder can mean; `width` (a terminal,
 * not --wide) cuts longer lines with '…'.
 */
export function formatHolders(
  port: number,
  groups: readonly Holder[],
  now: number,
  privileged = false,
  width?: number,
): string {
  const out: string[] = [];
  for (const g of groups) {
    out.push(...groupLines(g, now, privileged));
    g.sockets.forEach((s, i) => {
      out.push(`  ${i === 0 ? 'sockets' : '       '}  ${socketLine(s)}`);
    });
    out.push('');
  }
  const pids = new Set(groups.flatMap((g) => g.owners.map((o) => o.pid)));
  const hidden = groups.filter((g) => g.holder === 'hidden').length;
  const n = pids.size + hidden;
  const head =
    n === 0
      ? `No process holds port ${port}:\n\n`
      : `Port ${port} is held by ${n} process${n === 1 ? '' : 'es'}${hidden ? ` (${hidden} not visible)` : ''}:\n\n`;
  // On a terminal every line fits its width (the command line is what gets cut); piped or --wide: whole.
  const body = width === undefined ? out : out.map((l) => truncate(l, width));
  return head + body.join('\n');
}
