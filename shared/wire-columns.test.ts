import { describe, expect, it } from 'vitest';
import type { Snapshot, SocketRow } from './model';
import { testRow } from './testing/rows';
import { decodeResult, encodeResult, type PackedSnapshot, unpackSnapshot } from './wire';
import { fromColumns, toColumns, WireError } from './wire-columns';

/** What the WebSocket does to a message: JSON both ways. */
const overTheWire = <T>(x: T): T => JSON.parse(JSON.stringify(x));

function rows(n: number): SocketRow[] {
  const shared = testRow(1).process;
  return Array.from({ length: n }, (_, i) => {
    const listening = i < n / 4;
    const row = testRow(listening ? 20000 + i : 40000 + i, {
      key: `tcp:c${i}`,
      state: listening ? 'LISTEN' : 'ESTABLISHED',
      remoteAddress: listening ? null : '127.0.0.1',
      remotePort: listening ? null : 20000,
      process: i % 7 === 0 ? null : shared,
      pid: i % 7 === 0 ? null : 4242,
      exposure: listening ? 'loopback' : null,
    });
    if (!listening)
      row.traffic = i % 3 ? { bytesSent: i, bytesReceived: 2 * i, sendRate: null, receiveRate: 0 } : null;
    return row;
  });
}

const snapshotOf = (rs: SocketRow[]): Snapshot => ({
  seq: 3,
  takenAt: 7,
  scope: 'all',
  rows: rs,
  errors: [],
});

describe('rows as columns', () => {
  it('a snapshot comes back equal, with absent fields absent and nulls null', () => {
    const snap = snapshotOf(rows(200));
    const back = decodeResult('snapshot:get', overTheWire(encodeResult('snapshot:get', snap))) as Snapshot;
    expect(back).toEqual(snap);
    // Listeners never had traffic; connections have it (an object) or null: each kept as it was.
    expect(back.rows[0]?.traffic).toBeUndefined();
    expect(back.rows.find((r) => r.traffic === null)).toBeDefined();
    // One process object for every row that had it (crossed once), none for rows without.
    expect(new Set(back.rows.map((r) => r.process).filter(Boolean)).size).toBe(1);
    expect(back.rows[0]?.owners).toEqual([]);
  });

  it('repeating values cross as dictionaries and runs: far smaller than a row per object', () => {
    const snap = snapshotOf(rows(2000));
    const packed = overTheWire(encodeResult('snapshot:get', snap)) as PackedSnapshot;
    expect(packed.rows.cols.state).toEqual({ d: ['LISTEN', 'ESTABLISHED'], r: [0, 500, 1, 1500] });
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(snap).length / 4);
  });

  it('a field this build does not know (a newer server) is kept as it came', () => {
    const packed = overTheWire(encodeResult('snapshot:get', snapshotOf(rows(20)))) as PackedSnapshot;
    packed.rows.cols.future = toColumns(
      Array.from({ length: 20 }, (_, i) => ({ future: i % 2 ? 'x' : undefined })),
    ).cols.future as PackedSnapshot['rows']['cols'][string];
    const back = unpackSnapshot(packed);
    expect((back.rows[1] as unknown as { future: string }).future).toBe('x');
    expect('future' in (back.rows[0] as object)).toBe(false);
  });

  it('generic tables keep nested objects, nulls and missing fields apart', () => {
    const objs = [{ a: 1, b: { c: 'x' } }, { a: 2, b: null }, { a: 3 }, { b: { c: 'y', d: true } }];
    expect(fromColumns(overTheWire(toColumns(objs)))).toEqual(objs);
  });

  it('rejects malformed snapshots with a WireError that says what was wrong', () => {
    const good = overTheWire(encodeResult('snapshot:get', snapshotOf(rows(40)))) as PackedSnapshot;
    const broken = (change: (p: PackedSnapshot) => void) => {
      const p = structuredClone(good);
      change(p);
      return () => unpackSnapshot(p);
    };
    expect(broken((p) => ((p.rows.cols.localPort as { v: unknown[] }).v.length = 3))).toThrow(
      /column "localPort" does not have 40 values/,
    );
    expect(broken((p) => ((p.rows.cols.state as { r: number[] }).r[0] = 9))).toThrow(
      /outside its dictionary/,
    );
    expect(broken((p) => ((p.rows.cols.state as { r: number[] }).r[1] = 1))).toThrow(
      /does not have 40 values/,
    );
    expect(broken((p) => ((p.rows.cols.key as { v: unknown[] }).v[5] = 12))).toThrow(
      /column "key" holds a value that is not a valid key/,
    );
    expect(broken((p) => ((p.rows.cols.protocol as { d: unknown[] }).d[0] = 'sctp'))).toThrow(
      /not a valid protocol/,
    );
    expect(broken((p) => delete (p.rows.cols as Record<string, unknown>).localPort)).toThrow(
      /no localPort column/,
    );
    expect(broken((p) => ((p.rows.cols.o as { d: number[][] }).d[0] = [1, 99]))).toThrow(
      /owner that is not in/,
    );
    expect(broken((p) => (p.rows.n = -1))).toThrow(/no valid row count/);
    // JSON.parse makes "__proto__" an own key; assigned to a row it would replace the prototype.
    const proto = JSON.parse(JSON.stringify(good).replace('"cols":{', '"cols":{"__proto__":{"v":[]},'));
    expect(() => unpackSnapshot(proto)).toThrow(/field named "__proto__"/);
    expect(broken((p) => ((p as { wire: number }).wire = 3))).toThrow(/unknown snapshot form 3/);
    expect(() => unpackSnapshot(null as never)).toThrow(WireError);
  });
});
