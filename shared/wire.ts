import type { Delta, Owner, ProcessInfo, Snapshot, SocketRow } from './model';

/**
 * The compact form rows take on the wire (WebSocket and Electron IPC). A row carries its process
 * twice (`owners[0].process` and `process`), and every socket of a process carries all of it again:
 * a server with 5,000 connections and a 2 kB command line made a 10,000-row snapshot of ~45 MB of
 * JSON that the page then had to parse. Packed, each process crosses once in `procs` and rows point
 * at it by index; unpacking rebuilds the same rows with one shared ProcessInfo object per process.
 * Everything else on a row crosses as it is, so a new row field needs no change here.
 */

/** A row without its process objects; `o` holds [pid, index into procs or -1] per owner. */
export type PackedRow = Omit<SocketRow, 'owners' | 'pid' | 'process'> & { o: number[] };

export interface PackedSnapshot extends Omit<Snapshot, 'rows'> {
  wire: 1;
  procs: ProcessInfo[];
  rows: PackedRow[];
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
  const o: number[] = new Array(owners.length * 2);
  for (let i = 0; i < owners.length; i++) {
    const owner = owners[i] as Owner;
    o[i * 2] = owner.pid;
    o[i * 2 + 1] = table.ref(owner.process, owner.pid);
  }
  return { ...rest, o };
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

/** Pack a snapshot for the wire. */
export function packSnapshot(s: Snapshot): PackedSnapshot {
  const table = new ProcTable();
  const { rows, ...rest } = s;
  return { ...rest, wire: 1, rows: rows.map((r) => packRow(r, table)), procs: table.procs };
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

/** Unpack a snapshot; a snapshot that was never packed passes through. */
export function unpackSnapshot(s: PackedSnapshot | Snapshot): Snapshot {
  if (!isPacked(s)) return s as Snapshot;
  const { wire: _w, procs, rows, ...rest } = s as PackedSnapshot;
  return { ...rest, rows: rows.map((r) => unpackRow(r, procs)) };
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
