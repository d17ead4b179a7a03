import type { SocketRow } from './model';
import { holderText, ownersSummary } from './socket-rules';

/**
 * Formatting shared by the table, the details panel, exports and the CLI. Pure functions of their
 * inputs (the clock is passed in), so they test without fake timers.
 */

/**
 * Who holds a socket, in one line: every holder summarised ("nginx +4 workers"), or the shared
 * wording for a socket without a visible holder (kernel-held, or hidden: holderText).
 */
export function holdersLabel(
  row: Pick<SocketRow, 'owners' | 'inode' | 'state' | 'user' | 'uid' | 'holder'>,
  privileged = false,
): string {
  return row.owners.length > 0 ? ownersSummary(row.owners) : holderText(row, privileged);
}

/** `addr:port`, with IPv6 addresses in brackets (`[::1]:3000`); `*` for an unknown port. */
export function endpoint(address: string, port: number | null): string {
  const a = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return `${a}:${port ?? '*'}`;
}

/** Protocol label: tcp, tcp6, udp, udp6 (the `ss`/`netstat` habit). */
export function protocolLabel(row: Pick<SocketRow, 'protocol' | 'family'>): string {
  return row.family === 6 ? `${row.protocol}6` : row.protocol;
}

/** State as people read it: LISTEN, ESTABLISHED, TIME_WAIT → "TIME WAIT", UNCONN → "bound". */
export function stateLabel(state: SocketRow['state']): string {
  if (state === 'UNCONN') return 'BOUND';
  return state.replace(/_/g, ' ');
}

/** Bytes in binary units with one decimal: 1536 → "1.5 KiB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}

/** A transfer rate: 1536 → "1.5 KiB/s"; "—" when unknown. */
export function formatRate(bytesPerSecond: number | null): string {
  if (bytesPerSecond === null || !Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) return '—';
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** CPU percent of one core: "0.3 %". */
export function formatCpu(cpu: number | null): string {
  return cpu === null || !Number.isFinite(cpu) ? '—' : `${cpu.toFixed(1)} %`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** English short month names (what toLocaleString('en', { month: 'short' }) gives, at 1/80 the cost). */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Start time for a table cell: "14:03" today, "Mar 4 14:03" this year, "2023-03-04" before.
 * Local time, since that is what people compare with their clock.
 */
export function formatStarted(ms: number | null | undefined, now: number): string {
  if (!ms || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  const n = new Date(now);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.toDateString() === n.toDateString()) return hm;
  if (d.getFullYear() === n.getFullYear()) {
    return `${MONTHS[d.getMonth()]} ${d.getDate()} ${hm}`;
  }
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Full local date and time for the details panel: "2026-11-26 14:03:07". */
export function formatDateTime(ms: number | null | undefined): string {
  if (!ms || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** How long ago, coarse and calm: "just now", "12 s ago", "3 min ago", "2 h ago". */
export function formatAgo(ms: number | null, now: number): string {
  if (ms === null) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 2) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

/** Poll interval: 500 → "0.5 s", 1000 → "1 s". */
export function formatInterval(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

/** The flat record used by Copy row and the exports (one object per socket). */
export interface ExportRecord {
  protocol: string;
  localAddress: string;
  localPort: number;
  remoteAddress: string | null;
  remotePort: number | null;
  state: string;
  service: string | null;
  pid: number | null;
  process: string | null;
  /** Every holder as `pid/name`, parent first, space-separated ('' when no process holds it). */
  holders: string;
  user: string | null;
  command: string | null;
  started: string | null;
}

/** One socket as an export record (times in ISO 8601 UTC so files sort and parse anywhere). */
export function toExportRecord(row: SocketRow): ExportRecord {
  const p = row.process;
  return {
    protocol: protocolLabel(row),
    localAddress: localAddressLabel(row),
    localPort: row.localPort,
    remoteAddress: row.remoteAddress,
    remotePort: row.remotePort,
    state: row.state,
    service: row.service,
    pid: row.pid,
    process: p?.name ?? null,
    holders: row.owners.map((o) => `${o.pid}/${o.process?.name ?? '?'}`).join(' '),
    user: p?.user || null,
    command: p?.command || null,
    started: p?.startTime ? new Date(p.startTime).toISOString() : null,
  };
}

const CSV_COLUMNS: (keyof ExportRecord)[] = [
  'protocol',
  'localAddress',
  'localPort',
  'remoteAddress',
  'remotePort',
  'state',
  'service',
  'pid',
  'process',
  'holders',
  'user',
  'command',
  'started',
];

/**
 * One CSV field (RFC 4180 quoting). Cells that a spreadsheet would run as a formula (=, +, -, @,
 * tab, CR) get a leading apostrophe: process names and command lines are hostile input.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows as CSV with a header line, CRLF line ends (what spreadsheets expect). */
export function toCsv(rows: SocketRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const rec = toExportRecord(r);
    lines.push(CSV_COLUMNS.map((c) => csvField(rec[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Rows as pretty JSON (an array of export records). */
export function toJson(rows: SocketRow[]): string {
  return `${JSON.stringify(rows.map(toExportRecord), null, 2)}\n`;
}

/** One row as a tab-separated line for the clipboard (pastes into a spreadsheet or a chat). */
export function rowToText(row: SocketRow): string {
  const r = toExportRecord(row);
  const remote = r.remoteAddress === null ? '' : endpoint(r.remoteAddress, r.remotePort);
  return [
    r.protocol,
    endpoint(r.localAddress, r.localPort),
    remote,
    r.state,
    r.service ?? '',
    holdersLabel(row),
    r.pid ?? '',
    r.user ?? '',
    r.command ?? '',
  ]
    .filter((v, i) => i !== 2 || v !== '')
    .join('\t');
}

/**
 * The local address as `ss` writes it, one rule for the CLI, the table and details: a bound device
 * or an IPv6 zone after `%` (`127.0.0.1%lo`, `fe80::1%eth0`), and a dual-stack `::` listener as `*`
 * (it also takes IPv4) while an IPv6-only one stays `::`. No brackets: callers add them for
 * `addr:port`.
 */
export function localAddressLabel(
  row: Pick<SocketRow, 'localAddress' | 'family' | 'device' | 'zone' | 'v6only'>,
): string {
  const a = row.family === 6 && row.localAddress === '::' && row.v6only === false ? '*' : row.localAddress;
  const suffix = row.zone ?? row.device;
  return suffix ? `${a}%${suffix}` : a;
}
