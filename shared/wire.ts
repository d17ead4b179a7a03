import type { Delta, Owner, ProcessInfo, Snapshot, SocketRow } from './model';
import { type Column, type ColumnTable, columnOf, readColumns, WireError } from './wire-columns';

/**
 * The compact form rows take on the wire (WebSocket and Electron IPC). A row carries its process
 * twice (`owners[0].process` and `process`), and every socket of a process carries all of it again:
 * a server with 5,000 connections and a 2 kB command line made a 10,000-row snapshot of ~45 MB of
 * JSON that the page then had to parse. Packed, each process crosses once in `procs` and rows point
 * at it by index; unpacking rebuilds the same rows with one shared ProcessInfo object per process.
 *
 * Snapshots (10,000+ rows on a busy machine) cross as columns (shared/wire-columns.ts): ~35 bytes a
 * row instead of ~400, so the server packs and sends ~0.4 MB instead of 4 MB and the page parses it
 * in a few ms before its first paint. Deltas (~100 rows) cross as packed rows (any field as it is).
 * A snapshot packs the fields ROW_FIELDS lists (the compiler fails when SocketRow has one it does not
 * list); the page's decoding checks the shape and throws a WireError.
 */

/** A row without its process objects; `o` holds [pid, index into procs or -1] per owner. */
export type PackedRow = Omit<SocketRow, 'owners' | 'pid' | 'process'> & { o: number[] };

/**
 * A snapshot on the wire: rows as columns (shared/wire-columns.ts), owners as `o` ([pid, index
 * into procs or -1] per owner) like a packed row's. Deltas (~100 rows) stay one object per row.
 */
export interface PackedSnapshot extends Omit<Snapshot, 'rows'> {
  wire: 2;
  procs: ProcessInfo[];
  rows: ColumnTable;
}

export interface PackedDelta extends Omit<Delta, 'added' | 'changed'> {
  wire: 1;
  procs: ProcessInfo[];
  added: PackedRow[];
  changed: PackedRow[];
}

/** Builds one process table for a message: the same process (pid + start id) crosses once. */
class ProcTable {
  readonly procs: ProcessInfo[] = [];
  private readonly index = new Map<string, number>();
  private readonly byObject = new Map<ProcessInfo, number>();

  ref(p: ProcessInfo | null, pid: number): number {
    if (!p) return -1;
    const same = this.byObject.get(p);
    if (same !== undefined) return same;
    const id = `${pid}|${p.startId}`;
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.procs.length;
      this.procs.push(p);
      this.index.set(id, i);
    }
    this.byObject.set(p, i);
    return i;
  }
}

function packRow(row: SocketRow, table: ProcTable): PackedRow {
  const { owners, pid: _pid, process: _process, ...rest } = row;
  return { ...rest, o: ownerRefs(owners, table) };
}

function unpackRow(packed: PackedRow, procs: readonly ProcessInfo[]): SocketRow {
  const { o, ...rest } = packed;
  const owners: Owner[] = [];
  for (let i = 0; i + 1 < o.length; i += 2) {
    owners.push({ pid: o[i] as number, process: procs[o[i + 1] as number] ?? null });
  }
  const first = owners[0];
  return { ...rest, owners, pid: first?.pid ?? null, process: first?.process ?? null };
}

/**
 * Every field of a row but its owners: packed by name, and rebuilt as one object literal (one shape
 * for every row: ~10× faster than adding fields one by one).
 */
const ROW_FIELDS = [
  'key',
  'protocol',
  'family',
  'localAddress',
  'localPort',
  'remoteAddress',
  'remotePort',
  'state',
  'service',
  'inode',
  'uid',
  'user',
  'device',
  'v6only',
  'zone',
  'holder',
  'exposure',
  'serviceSource',
  'remoteName',
  'container',
  'traffic',
] as const;
/** A SocketRow field missing from ROW_FIELDS would not cross the wire: this fails to compile then. */
type Unlisted = Exclude<keyof SocketRow, (typeof ROW_FIELDS)[number] | 'owners' | 'pid' | 'process'>;
const everyFieldListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyFieldListed;

function ownerRefs(owners: readonly Owner[], table: ProcTable): number[] {
  const o: number[] = new Array(owners.length * 2);
  for (let i = 0; i < owners.length; i++) {
    const owner = owners[i] as Owner;
    o[i * 2] = owner.pid;
    o[i * 2 + 1] = table.ref(owner.process, owner.pid);
  }
  return o;
}

/** Fields a snapshot's columns leave out: the owners cross as `o`, pid and process follow from them. */
const OWNER_FIELDS: ReadonlySet<string> = new Set(['owners', 'pid', 'process', 'o']);

/**
 * Pack a snapshot for the wire: rows as columns. Each field is read by name in one pass (a fast,
 * monomorphic read even before the JIT has warmed up: the server packs a snapshot only when a page
 * loads); ROW_FIELDS lists them all, which the compiler checks against SocketRow.
 */
export function packSnapshot(s: Snapshot): PackedSnapshot {
  const table = new ProcTable();
  const { rows, ...rest } = s;
  const len = rows.length;
  const key = new Array<unknown>(len);
  const protocol = new Array<unknown>(len);
  const family = new Array<unknown>(len);
  const localAddress = new Array<unknown>(len);
  const localPort = new Array<unknown>(len);
  const remoteAddress = new Array<unknown>(len);
  const remotePort = new Array<unknown>(len);
  const state = new Array<unknown>(len);
  const service = new Array<unknown>(len);
  const inode = new Array<unknown>(len);
  const uid = new Array<unknown>(len);
  const user = new Array<unknown>(len);
  const device = new Array<unknown>(len);
  const v6only = new Array<unknown>(len);
  const zone = new Array<unknown>(len);
  const holder = new Array<unknown>(len);
  const exposure = new Array<unknown>(len);
  const serviceSource = new Array<unknown>(len);
  const remoteName = new Array<unknown>(len);
  const container = new Array<unknown>(len);
  const traffic = new Array<unknown>(len);
  const o = new Array<unknown>(len);
  for (let r = 0; r < len; r++) {
    const row = rows[r] as SocketRow;
    key[r] = row.key;
    protocol[r] = row.protocol;
    family[r] = row.family;
    localAddress[r] = row.localAddress;
    localPort[r] = row.localPort;
    remoteAddress[r] = row.remoteAddress;
    remotePort[r] = row.remotePort;
    state[r] = row.state;
    service[r] = row.service;
    inode[r] = row.inode;
    uid[r] = row.uid;
    user[r] = row.user;
    device[r] = row.device;
    v6only[r] = row.v6only;
    zone[r] = row.zone;
    holder[r] = row.holder;
    exposure[r] = row.exposure;
    serviceSource[r] = row.serviceSource;
    remoteName[r] = row.remoteName;
    container[r] = row.container;
    traffic[r] = row.traffic;
    o[r] = ownerRefs(row.owners, table);
  }
  const values = {
    key,
    protocol,
    family,
    localAddress,
    localPort,
    remoteAddress,
    remotePort,
    state,
    service,
    inode,
    uid,
    user,
    device,
    v6only,
    zone,
    holder,
    exposure,
    serviceSource,
    remoteName,
    container,
    traffic,
  };
  const cols: Record<string, Column> = {};
  for (const name of ROW_FIELDS) {
    const column = columnOf(values[name]);
    // A field no row has (an optional one nobody set) does not cross at all.
    if (!('a' in column && column.a?.[0] === 0 && column.a[1] === len)) cols[name] = column;
  }
  cols.o = columnOf(o);
  return { ...rest, wire: 2, rows: { n: len, cols }, procs: table.procs };
}

/** Pack a delta for the wire (one process table for its added and changed rows). */
export function packDelta(d: Delta): PackedDelta {
  const table = new ProcTable();
  const { added, changed, ...rest } = d;
  return {
    ...rest,
    wire: 1,
    added: added.map((r) => packRow(r, table)),
    changed: changed.map((r) => packRow(r, table)),
    procs: table.procs,
  };
}

function isPacked(x: unknown): x is { wire: 1; procs: ProcessInfo[] } {
  return typeof x === 'object' && x !== null && (x as { wire?: unknown }).wire === 1;
}

/** Owners from `o` (checked: pid, then an index into procs or -1, per owner). */
function ownersOf(o: unknown, procs: readonly ProcessInfo[]): Owner[] {
  if (!Array.isArray(o) || o.length % 2 !== 0) throw new WireError('a row has no owner list');
  const owners: Owner[] = new Array(o.length / 2);
  for (let i = 0; i < o.length; i += 2) {
    const pid = o[i];
    const p = o[i + 1];
    if (!Number.isSafeInteger(pid) || !Number.isInteger(p) || p < -1 || p >= procs.length)
      throw new WireError('a row names an owner that is not in the message');
    owners[i / 2] = { pid, process: p === -1 ? null : (procs[p] as ProcessInfo) };
  }
  return owners;
}

/** The fields every row must have, right, for the table to show it at all (checked per column). */
const REQUIRED: Readonly<Record<string, (x: unknown) => boolean>> = {
  key: (x) => typeof x === 'string',
  protocol: (x) => x === 'tcp' || x === 'udp',
  family: (x) => x === 4 || x === 6,
  localAddress: (x) => typeof x === 'string',
  localPort: (x) => Number.isInteger(x),
  state: (x) => typeof x === 'string',
};

const KNOWN: ReadonlySet<string> = new Set<string>([...ROW_FIELDS, ...OWNER_FIELDS]);

/**
 * A snapshot back from the wire (shape checked: a malformed one throws a WireError that says why).
 * An optional field a row lacked comes back as undefined; a field this build does not know yet is
 * copied as it came.
 */
function unpackColumns(s: PackedSnapshot): Snapshot {
  const { wire: _w, procs, rows: table, ...rest } = s;
  if (!Array.isArray(procs) || procs.some((p) => typeof p !== 'object' || p === null))
    throw new WireError('the snapshot has no process table');
  if (!Array.isArray(rest.errors)) throw new WireError('the snapshot has no error list');
  if (typeof rest.seq !== 'number' || typeof rest.takenAt !== 'number')
    throw new WireError('the snapshot has no sequence number or time');
  const { n, values } = readColumns(table, 'the snapshot', REQUIRED);
  const none: unknown[] = new Array(n);
  const col = (name: (typeof ROW_FIELDS)[number] | 'o'): unknown[] => values.get(name) ?? none;
  const key = col('key');
  const protocol = col('protocol');
  const family = col('family');
  const localAddress = col('localAddress');
  const localPort = col('localPort');
  const remoteAddress = col('remoteAddress');
  const remotePort = col('remotePort');
  const state = col('state');
  const service = col('service');
  const inode = col('inode');
  const uid = col('uid');
  const user = col('user');
  const device = col('device');
  const v6only = col('v6only');
  const zone = col('zone');
  const holder = col('holder');
  const exposure = col('exposure');
  const serviceSource = col('serviceSource');
  const remoteName = col('remoteName');
  const container = col('container');
  const traffic = col('traffic');
  const o = col('o');
  const extra = [...values].filter(([name]) => !KNOWN.has(name));
  const rows: SocketRow[] = new Array(n);
  // Rows of one process come in runs and share their owner list's array (a dictionary entry): each
  // distinct list is checked and turned into owners once. Rows are never changed, so sharing is safe.
  let lastO: unknown = null;
  let owners: Owner[] = [];
  for (let r = 0; r < n; r++) {
    if (o[r] !== lastO || r === 0) {
      lastO = o[r];
      owners = ownersOf(lastO, procs);
    }
    const first = owners[0];
    const row = {
      key: key[r],
      protocol: protocol[r],
      family: family[r],
      localAddress: localAddress[r],
      localPort: localPort[r],
      remoteAddress: remoteAddress[r],
      remotePort: remotePort[r],
      state: state[r],
      owners,
      pid: first?.pid ?? null,
      process: first?.process ?? null,
      service: service[r],
      inode: inode[r],
      uid: uid[r],
      user: user[r],
      device: device[r],
      v6only: v6only[r],
      zone: zone[r],
      holder: holder[r],
      exposure: exposure[r],
      serviceSource: serviceSource[r],
      remoteName: remoteName[r],
      container: container[r],
      traffic: traffic[r],
    } as SocketRow;
    for (const [name, xs] of extra)
      if (xs[r] !== undefined) (row as unknown as Record<string, unknown>)[name] = xs[r];
    rows[r] = row;
  }
  return { ...rest, rows };
}

/** Unpack a snapshot; a snapshot that was never packed passes through. */
export function unpackSnapshot(s: PackedSnapshot | Snapshot): Snapshot {
  if (typeof s !== 'object' || s === null) throw new WireError('the snapshot is not an object');
  const wire = (s as { wire?: unknown }).wire;
  if (wire === 2) return unpackColumns(s as PackedSnapshot);
  if (wire !== undefined) throw new WireError(`unknown snapshot form ${String(wire)}`);
  if (!Array.isArray((s as Snapshot).rows)) throw new WireError('the snapshot has no rows');
  return s as Snapshot;
}

/** Unpack a delta; a delta that was never packed passes through. */
export function unpackDelta(d: PackedDelta | Delta): Delta {
  if (!isPacked(d)) return d as Delta;
  const { wire: _w, procs, added, changed, ...rest } = d as PackedDelta;
  return {
    ...rest,
    added: added.map((r) => unpackRow(r, procs)),
    changed: changed.map((r) => unpackRow(r, procs)),
  };
}

/** What a transport sends for a request's result: snapshots packed, everything else as it is. */
export function encodeResult(channel: string, result: unknown): unknown {
  return channel === 'snapshot:get' && result ? packSnapshot(result as Snapshot) : result;
}

/** The inverse of encodeResult, run by the renderer's transports. */
export function decodeResult(channel: string, result: unknown): unknown {
  return channel === 'snapshot:get' && result ? unpackSnapshot(result as PackedSnapshot) : result;
}

/** What a transport sends for a push: deltas packed, everything else as it is. */
export function encodePush(channel: string, payload: unknown): unknown {
  return channel === 'delta' && payload ? packDelta(payload as Delta) : payload;
}

/** The inverse of encodePush. */
export function decodePush(channel: string, payload: unknown): unknown {
  return channel === 'delta' && payload ? unpackDelta(payload as PackedDelta) : payload;
}
