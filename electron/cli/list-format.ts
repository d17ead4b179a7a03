import { endpoint, localAddressLabel, protocolLabel } from '../../shared/format';
import type { Owner, SocketRow } from '../../shared/model';
import { ownersSummary } from '../../shared/socket-rules';
import { type Column, renderTable } from './table';

/** How rows become the `portscope list` table. Pure: tests feed it constructed rows. */

/** An address as people write it: IPv6 in brackets ("[::1]"), IPv4 as is; `*` (dual-stack) as is. */
export function formatAddress(address: string, family: 4 | 6): string {
  return family === 6 && address !== '*' && !address.startsWith('[') ? `[${address}]` : address;
}

/**
 * The local address as the GUI writes it (shared/format.ts `localAddressLabel`): bound device or
 * IPv6 zone after '%' ("0.0.0.0%lo", "fe80::1%lo"), a dual-stack `::` listener as "*", an
 * IPv6-only one as "::". No brackets: the PROTO column (tcp6) already says which family.
 */
export function localLabel(row: SocketRow): string {
  return localAddressLabel(row);
}

/** "addr:port" for one line of text, IPv6 bracketed ("[::1]:3000"), as the GUI's `endpoint`. */
export function localEndpoint(row: SocketRow): string {
  return endpoint(localAddressLabel(row), row.localPort);
}

/** "addr:port" with IPv6 bracketed, or '-' when there is no such end (unconnected). */
export function formatEndpoint(address: string | null, port: number | null, family: 4 | 6): string {
  if (address === null || port === null) return '-';
  return `${formatAddress(address, family)}:${port}`;
}

const protoRank = (p: SocketRow['protocol']) => (p === 'tcp' ? 0 : 1);
/** Code-unit order: addresses and keys are ASCII, and localeCompare costs ~100× more on 25,000 rows. */
const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Compare rows by port, then protocol (tcp first), family, address, remote end and PID: a total order. */
export function compareRows(a: SocketRow, b: SocketRow): number {
  return (
    a.localPort - b.localPort ||
    protoRank(a.protocol) - protoRank(b.protocol) ||
    a.family - b.family ||
    text(a.localAddress, b.localAddress) ||
    (a.remotePort ?? -1) - (b.remotePort ?? -1) ||
    text(a.remoteAddress ?? '', b.remoteAddress ?? '') ||
    (a.pid ?? -1) - (b.pid ?? -1) ||
    text(a.key, b.key)
  );
}

/** A copy of the rows in table order. */
export function sortRows(rows: readonly SocketRow[]): SocketRow[] {
  return [...rows].sort(compareRows);
}

/**
 * What the PROCESS column says: every holder summarised ("nginx +4 workers"), or plainly why
 * there is none: the kernel keeps a closed socket, or the holder is not visible to this user.
 */
export function processLabel(row: SocketRow): string {
  if (row.holder === 'kernel') return '(no process)';
  if (row.holder === 'hidden') return '(not visible)';
  const summary = ownersSummary(row.owners);
  const first = row.process;
  if (!summary || !first) return summary || '(exited)';
  // The friendly label (vite, next dev) in place of the executable's name, and the project.
  const named =
    first.label && summary.startsWith(first.name) ? first.label + summary.slice(first.name.length) : summary;
  return first.project ? `${named} · ${first.project.name}` : named;
}

/** The user column: the first holder's (effective) user, else the socket's own user. */
function userLabel(row: SocketRow): string {
  return row.process?.user || row.user || (row.uid === null ? '-' : String(row.uid));
}

/** One holder in JSON: its PID and what is known of its process. */
export interface JsonOwner {
  pid: number;
  process: Owner['process'];
}

/**
 * The JSON row of `list --json` and `who --json` (documented in README.md): the socket, its first
 * holder as `pid`/`process` (for scripts written before `owners`), every holder parent first, and
 * the kernel's own fields. Fixed field order, so the output diffs cleanly.
 */
export function jsonRow(row: SocketRow) {
  return {
    protocol: row.protocol,
    family: row.family,
    localAddress: row.localAddress,
    localPort: row.localPort,
    remoteAddress: row.remoteAddress,
    remotePort: row.remotePort,
    state: row.state,
    service: row.service,
    serviceSource: row.serviceSource ?? null,
    exposure: row.exposure ?? null,
    pid: row.pid,
    process: row.process,
    owners: row.owners.map((o): JsonOwner => ({ pid: o.pid, process: o.process })),
    holder: row.holder,
    inode: row.inode,
    uid: row.uid,
    user: row.user,
    device: row.device,
    v6only: row.v6only,
    zone: row.zone,
    remoteName: row.remoteName ?? null,
    ...(row.container ? { container: row.container } : {}),
    key: row.key,
    // TCP connections read with tcp_info (netlink, --all) only: listings without it keep their shape.
    ...(row.traffic ? { traffic: row.traffic } : {}),
  };
}

export interface ListTableOptions {
  all: boolean;
  header: boolean;
  /** Terminal width when stdout is a terminal (and not --wide); undefined when piped: nothing is cut. */
  width?: number;
}

/**
 * The people-readable table for `portscope list`; rows are sorted here. On a terminal it fits the
 * width: COMMAND gives up width first (see the order below and table.ts fitWidths).
 */
export function formatListTable(rows: readonly SocketRow[], options: ListTableOptions): string {
  const reach = rows.some((r) => r.exposure);
  // One order for giving way (table.ts fitWidths): cut COMMAND, leave out USER, cut PROCESS,
  // SERVICE and the addresses, leave out STATE (listening view), REACH, COMMAND, SERVICE.
  const columns: Column[] = [
    { title: 'PROTO' },
    { title: 'LOCAL ADDRESS', min: 15, shrink: 5 },
    { title: 'PORT', align: 'right' },
    { title: 'SERVICE', min: 8, shrink: 4, drop: 10 },
    { title: 'PID', align: 'right' },
    { title: 'PROCESS', min: 10, shrink: 3 },
    { title: 'USER', min: 6, drop: 2 },
    { title: 'STATE', drop: options.all ? 11 : 7 },
    ...(options.all ? [{ title: 'REMOTE', min: 15, shrink: 6, drop: 12 }] : []),
    ...(reach ? [{ title: 'REACH', drop: 8 }] : []),
    { title: 'COMMAND', min: 12, shrink: 1, drop: 9 },
  ];
  const cells = sortRows(rows).map((r) => [
    protocolLabel(r),
    localLabel(r),
    String(r.localPort),
    r.service ?? '-',
    r.pid === null ? '-' : String(r.pid),
    processLabel(r),
    userLabel(r),
    r.state,
    ...(options.all ? [formatEndpoint(r.remoteAddress, r.remotePort, r.family)] : []),
    ...(reach ? [r.exposure ?? '-'] : []),
    r.process?.command ?? '',
  ]);
  return renderTable(columns, cells, { header: options.header, width: options.width });
}
