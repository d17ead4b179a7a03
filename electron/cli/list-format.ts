import { localAddressLabel } from '../../shared/format';
import type { Owner, SocketRow } from '../../shared/model';
import { ownersSummary } from '../../shared/socket-rules';
import { type Column, renderTable } from './table';

/** How rows become the `portscope list` table. Pure: tests feed it constructed rows. */

/** An address as people write it: IPv6 in brackets ("[::1]"), IPv4 as is; `*` (dual-stack) as is. */
export function formatAddress(address: string, family: 4 | 6): string {
  return family === 6 && address !== '*' && !address.startsWith('[') ? `[${address}]` : address;
}

/**
 * The local address as `ss` writes it: bound device or IPv6 zone after '%' ("0.0.0.0%lo",
 * "[fe80::1%lo]"), a dual-stack `::` listener as "*", an IPv6-only one as "[::]".
 */
export function localLabel(row: SocketRow): string {
  return formatAddress(localAddressLabel(row), row.family);
}

/** "addr:port" with IPv6 bracketed, or '-' when there is no such end (unconnected). */
export function formatEndpoint(address: string | null, port: number | null, family: 4 | 6): string {
  if (address === null || port === null) return '-';
  return `${formatAddress(address, family)}:${port}`;
}

const protoRank = (p: SocketRow['protocol']) => (p === 'tcp' ? 0 : 1);

/** Compare rows by port, then protocol (tcp first), family, address, remote end and PID: a total order. */
export function compareRows(a: SocketRow, b: SocketRow): number {
  return (
    a.localPort - b.localPort ||
    protoRank(a.protocol) - protoRank(b.protocol) ||
    a.family - b.family ||
    a.localAddress.localeCompare(b.localAddress) ||
    (a.remotePort ?? -1) - (b.remotePort ?? -1) ||
    (a.remoteAddress ?? '').localeCompare(b.remoteAddress ?? '') ||
    (a.pid ?? -1) - (b.pid ?? -1) ||
    a.key.localeCompare(b.key)
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
  return ownersSummary(row.owners) || '(exited)';
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
    ...(row.container ? { container: row.container } : {}),
    key: row.key,
  };
}

export interface ListTableOptions {
  all: boolean;
  header: boolean;
  /** Terminal width when stdout is a terminal; undefined when piped. */
  width?: number;
}

/** The people-readable table for `portscope list`; rows are sorted here. */
export function formatListTable(rows: readonly SocketRow[], options: ListTableOptions): string {
  const columns: Column[] = [
    { title: 'PROTO' },
    { title: 'LOCAL ADDRESS', maxOnTty: 41 },
    { title: 'PORT', align: 'right' },
    { title: 'SERVICE', maxOnTty: 16 },
    { title: 'PID', align: 'right' },
    { title: 'PROCESS', maxOnTty: 24 },
    { title: 'USER', maxOnTty: 16 },
    { title: 'STATE' },
    ...(options.all ? [{ title: 'REMOTE', maxOnTty: 48 }] : []),
    { title: 'COMMAND', fill: true },
  ];
  const cells = sortRows(rows).map((r) => [
    r.protocol,
    localLabel(r),
    String(r.localPort),
    r.service ?? '-',
    r.pid === null ? '-' : String(r.pid),
    processLabel(r),
    userLabel(r),
    r.state,
    ...(options.all ? [formatEndpoint(r.remoteAddress, r.remotePort, r.family)] : []),
    r.process?.command ?? '',
  ]);
  return renderTable(columns, cells, { header: options.header, width: options.width });
}
