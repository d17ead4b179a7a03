import type { SocketRow } from '../../shared/model';
import { type Column, renderTable } from './table';

/** How rows become the `portscope list` table. Pure: tests feed it constructed rows. */

/** An address as people write it: IPv6 in brackets ("[::1]"), IPv4 as is. */
export function formatAddress(address: string, family: 4 | 6): string {
  return family === 6 && !address.startsWith('[') ? `[${address}]` : address;
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

/** What the PROCESS column says: the name, or plainly why there is none. */
export function processLabel(row: SocketRow): string {
  if (row.pid === null) return '(not visible)';
  return row.process?.name || '(exited)';
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
    formatAddress(r.localAddress, r.family),
    String(r.localPort),
    r.service ?? '-',
    r.pid === null ? '-' : String(r.pid),
    processLabel(r),
    r.process?.user || '-',
    r.state,
    ...(options.all ? [formatEndpoint(r.remoteAddress, r.remotePort, r.family)] : []),
    r.process?.command ?? '',
  ]);
  return renderTable(columns, cells, { header: options.header, width: options.width });
}
