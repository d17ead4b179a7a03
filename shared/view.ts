import { localAddressLabel } from './format';
import type { SocketRow } from './model';

/**
 * Pure view logic for the port table (and anything else that lists ports): which rows the
 * Listening view shows, the merging of IPv4/IPv6 twins, and a stable multi-type sort.
 */

export type ViewName = 'listening' | 'all';

export type SortColumn =
  | 'protocol'
  | 'local'
  | 'port'
  | 'service'
  | 'process'
  | 'pid'
  | 'user'
  | 'state'
  | 'started'
  | 'remote'
  | 'command'
  | 'sent'
  | 'received'
  | 'rate';
export type SortDir = 'asc' | 'desc';
export interface SortSpec {
  column: SortColumn;
  dir: SortDir;
}

/** One line of the table: a socket, or the IPv4/IPv6 twins of one listener shown as one. */
export interface ViewRow {
  /** Key of the primary member (stable while that socket lives). */
  key: string;
  /** The primary member: the IPv4 socket of a merged pair. */
  row: SocketRow;
  /** Every socket this line stands for (1, or 2 for merged twins), primary first. */
  members: SocketRow[];
}

const ANY4 = '0.0.0.0';
const ANY6 = new Set(['::', '[::]', '*']);

/**
 * The merge key of a wildcard listener, or null when the row must never merge. It names the whole
 * set of holders (a pre-fork server's :: socket held by parent + workers twins only the 0.0.0.0 one
 * held by the same processes) and the bound device.
 */
function twinKey(row: SocketRow): string | null {
  if (row.owners.length === 0) return null; // Owner unknown: we cannot tell two processes apart.
  const wild = row.family === 4 ? row.localAddress === ANY4 : ANY6.has(row.localAddress);
  if (!wild) return null;
  const holders = row.owners
    .map((o) => o.pid)
    .sort((a, b) => a - b)
    .join(',');
  return `${holders}|${row.protocol}|${row.localPort}|${row.device ?? ''}`;
}

/**
 * Turn rows into view rows. With `mergeTwins`, a 0.0.0.0 and a :: socket held by the same processes,
 * on the same port, protocol and device become one line naming both; anything else never merges.
 * A view only: the rows stay one per kernel socket.
 */
export function toViewRows(rows: Iterable<SocketRow>, mergeTwins: boolean): ViewRow[] {
  const out: ViewRow[] = [];
  const byTwin = new Map<string, ViewRow>();
  for (const row of rows) {
    const tk = mergeTwins ? twinKey(row) : null;
    if (tk !== null) {
      const other = byTwin.get(tk);
      if (other && other.members.length === 1 && other.row.family !== row.family) {
        // Keep the IPv4 socket as the primary so the line's key does not depend on arrival order.
        if (row.family === 4) {
          other.members.unshift(row);
          other.row = row;
          other.key = row.key;
        } else other.members.push(row);
        continue;
      }
    }
    const vr: ViewRow = { key: row.key, row, members: [row] };
    if (tk !== null && !byTwin.has(tk)) byTwin.set(tk, vr);
    out.push(vr);
  }
  return out;
}

/**
 * Display text of a view row's local address, each member as `ss` writes it (localAddressLabel):
 * "0.0.0.0 + ::" for merged twins, "127.0.0.1%lo" for a socket bound to a device, "*" dual-stack.
 */
export function localAddressText(vr: ViewRow): string {
  return vr.members.map(localAddressLabel).join(' + ');
}

/** Sortable text of an address: IPv4 octets zero-padded so 10.0.0.2 < 10.0.0.10. */
function addrKey(a: string | null): string | null {
  if (a === null) return null;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (m)
    return `4${m
      .slice(1, 5)
      .map((o) => o.padStart(3, '0'))
      .join('.')}`;
  return `6${a.toLowerCase()}`;
}

type SortValue = string | number | null;

/** Bytes per second both ways over the last poll; null when unknown (no counters, first sighting). */
export function trafficRate(row: Pick<SocketRow, 'traffic'>): number | null {
  const t = row.traffic;
  if (!t || (t.sendRate === null && t.receiveRate === null)) return null;
  return (t.sendRate ?? 0) + (t.receiveRate ?? 0);
}

function sortValue(row: SocketRow, column: SortColumn): SortValue {
  switch (column) {
    case 'protocol':
      return `${row.protocol}${row.family}`;
    case 'local':
      return addrKey(row.localAddress);
    case 'port':
      return row.localPort;
    case 'service':
      return row.service?.toLowerCase() ?? null;
    case 'process':
      // What the cell shows first: the friendly label when there is one.
      return (row.process?.label || row.process?.name)?.toLowerCase() ?? null;
    case 'pid':
      return row.pid;
    case 'user':
      return row.process?.user.toLowerCase() || null;
    case 'state':
      return row.state;
    case 'started':
      return row.process?.startTime ?? null;
    case 'command':
      return row.process?.command.toLowerCase() || null;
    case 'remote':
      return row.remoteAddress === null ? null : `${addrKey(row.remoteAddress)}|${row.remotePort ?? 0}`;
    case 'sent':
      return row.traffic?.bytesSent ?? null;
    case 'received':
      return row.traffic?.bytesReceived ?? null;
    case 'rate':
      return trafficRate(row);
  }
}

/** Sort values per column, cached per row object (rows are replaced, never mutated). */
const valueCache = new Map<SortColumn, WeakMap<SocketRow, SortValue>>();

/** Columns whose value is a field read: caching it in a WeakMap would cost more than reading it. */
const DIRECT: ReadonlySet<SortColumn> = new Set<SortColumn>([
  'port',
  'pid',
  'state',
  'started',
  'sent',
  'received',
]);

function cachedValue(row: SocketRow, column: SortColumn): SortValue {
  if (DIRECT.has(column)) return sortValue(row, column);
  let m = valueCache.get(column);
  if (!m) {
    m = new WeakMap();
    valueCache.set(column, m);
  }
  let v = m.get(row);
  if (v === undefined) {
    v = sortValue(row, column);
    m.set(row, v);
  }
  return v;
}

/**
 * The table's order as a comparator: the column's value (missing values last), then port, then key.
 * Keys are unique, so this is a total order: an incremental update gives exactly a full sort's result.
 */
export function viewRowComparator(spec: SortSpec): (a: ViewRow, b: ViewRow) => number {
  const sign = spec.dir === 'asc' ? 1 : -1;
  return (a, b) => {
    const av = cachedValue(a.row, spec.column);
    const bv = cachedValue(b.row, spec.column);
    if (av !== bv) {
      if (av === null) return 1;
      if (bv === null) return -1;
      return (av < bv ? -1 : 1) * sign;
    }
    const ap = a.row.localPort;
    const bp = b.row.localPort;
    if (ap !== bp) return ap - bp;
    return a.key === b.key ? 0 : a.key < b.key ? -1 : 1;
  };
}

/**
 * Update a sorted list after some keys changed, without sorting it all again: a changed line whose
 * sort value is the same stays where it is (only its data is replaced: a process's CPU moving changes
 * every one of its sockets, not their order); the others are dropped and their current versions
 * binary-inserted (O(n + k log n) instead of O(n log n)). For views without twin merging (one line
 * per socket).
 */
export function resortIncremental(
  prev: ViewRow[],
  dirty: ReadonlySet<string>,
  current: (key: string) => ViewRow | null,
  spec: SortSpec,
): ViewRow[] {
  if (dirty.size === 0) return prev;
  const cmp = viewRowComparator(spec);
  const column = spec.column;
  // One array for the result (no intermediate list): the kept lines first, then the re-inserted
  // ones merged in from the back. A delta of 100 among 10,000 lines then allocates one array.
  const out: ViewRow[] = new Array(prev.length + dirty.size);
  let kept = 0;
  let moved: Set<string> | null = null;
  for (let i = 0; i < prev.length; i++) {
    const vr = prev[i] as ViewRow;
    if (!dirty.has(vr.key)) {
      out[kept++] = vr;
      continue;
    }
    const next = current(vr.key);
    // Same key, port and sort value: it compares with every other line exactly as before.
    if (
      next &&
      next.row.localPort === vr.row.localPort &&
      cachedValue(next.row, column) === cachedValue(vr.row, column)
    ) {
      out[kept++] = next;
      moved ??= new Set();
      moved.add(vr.key);
    }
  }
  const fresh: ViewRow[] = [];
  for (const key of dirty) {
    if (moved?.has(key)) continue;
    const vr = current(key);
    if (vr) fresh.push(vr);
  }
  fresh.sort(cmp);
  let w = kept + fresh.length;
  out.length = w;
  let hi = kept;
  for (let f = fresh.length - 1; f >= 0; f--) {
    const vr = fresh[f] as ViewRow;
    let lo = 0;
    let top = hi;
    while (lo < top) {
      const mid = (lo + top) >>> 1;
      if (cmp(out[mid] as ViewRow, vr) < 0) lo = mid + 1;
      else top = mid;
    }
    for (let k = hi - 1; k >= lo; k--) out[--w] = out[k] as ViewRow;
    out[--w] = vr;
    hi = lo;
  }
  return out;
}

/**
 * Sort view rows by one column. Ties are broken by port, then key, then input order, so equal rows
 * never swap places between polls (the "stable" a live table needs). Missing values (no owner, no
 * service) always go last, whichever direction.
 */
export function sortViewRows(rows: ViewRow[], spec: SortSpec): ViewRow[] {
  const sign = spec.dir === 'asc' ? 1 : -1;
  // Decorate once: a 10,000-row sort then compares cached values, not recomputed strings.
  const decorated = rows.map((vr, i) => ({ vr, v: sortValue(vr.row, spec.column), i }));
  decorated.sort((a, b) => {
    const av = a.v;
    const bv = b.v;
    if (av !== bv) {
      if (av === null) return 1;
      if (bv === null) return -1;
      return (av < bv ? -1 : 1) * sign;
    }
    const ap = a.vr.row.localPort;
    const bp = b.vr.row.localPort;
    if (ap !== bp) return ap - bp;
    if (a.vr.key !== b.vr.key) return a.vr.key < b.vr.key ? -1 : 1;
    return a.i - b.i;
  });
  return decorated.map((d) => d.vr);
}
