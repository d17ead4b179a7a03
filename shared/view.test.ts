import { describe, expect, it } from 'vitest';
import type { SocketRow } from './model';
import { isListening } from './socket-rules';
import { completeRow } from './testing/rows';
import {
  localAddressText,
  resortIncremental,
  type SortColumn,
  sortViewRows,
  toViewRows,
  type ViewRow,
} from './view';

let n = 0;
function row(p: Partial<SocketRow> & { name?: string | null } = {}): SocketRow {
  const { name = 'node', ...rest } = p;
  n++;
  return completeRow({
    key: `k${n}`,
    protocol: 'tcp',
    family: 4,
    localAddress: '0.0.0.0',
    localPort: 8080,
    remoteAddress: null,
    remotePort: null,
    state: 'LISTEN',
    pid: 10,
    service: null,
    process:
      name === null
        ? null
        : {
            name,
            command: name,
            path: '',
            user: 'alice',
            startTime: 1000 + n,
            startId: '1',
            ppid: 1,
            cpu: null,
            memory: null,
          },
    ...rest,
  });
}

describe('isListening', () => {
  it('keeps TCP listeners and bound UDP, drops connections', () => {
    expect(isListening(row())).toBe(true);
    expect(isListening(row({ state: 'ESTABLISHED', remoteAddress: '1.2.3.4', remotePort: 5 }))).toBe(false);
    expect(isListening(row({ protocol: 'udp', state: 'UNCONN' }))).toBe(true);
    expect(
      isListening(row({ protocol: 'udp', state: 'ESTABLISHED', remoteAddress: '1.1.1.1', remotePort: 53 })),
    ).toBe(false);
  });
});

describe('toViewRows', () => {
  it('merges the 0.0.0.0 and :: sockets of one listener, IPv4 first whatever the order', () => {
    const v6 = row({ family: 6, localAddress: '::' });
    const v4 = row();
    const [line, ...rest] = toViewRows([v6, v4], true);
    expect(rest).toEqual([]);
    expect(line?.key).toBe(v4.key);
    expect(line?.members).toEqual([v4, v6]);
    expect(localAddressText(line as ViewRow)).toBe('0.0.0.0 + ::');
  });

  it('never merges different processes, ports, protocols, addresses, unknown owners, or in All view', () => {
    const v4 = row();
    const cases = [
      row({ family: 6, localAddress: '::', pid: 11 }),
      row({ family: 6, localAddress: '::', localPort: 8081 }),
      row({ family: 6, localAddress: '::', protocol: 'udp', state: 'UNCONN' }),
      row({ family: 6, localAddress: '::1' }),
    ];
    for (const other of cases) expect(toViewRows([v4, other], true)).toHaveLength(2);
    const hidden4 = row({ pid: null, name: null });
    const hidden6 = row({ pid: null, name: null, family: 6, localAddress: '::' });
    expect(toViewRows([hidden4, hidden6], true)).toHaveLength(2);
    expect(toViewRows([v4, row({ family: 6, localAddress: '::' })], false)).toHaveLength(2);
    // A third socket of the same listener does not join a pair that is already complete.
    const lines = toViewRows(
      [v4, row({ family: 6, localAddress: '::' }), row({ family: 6, localAddress: '::' })],
      true,
    );
    expect(lines.map((l) => l.members.length)).toEqual([2, 1]);
  });
});

describe('toViewRows with several holders', () => {
  it('twins merge only when the same set of processes holds both, on the same device', () => {
    const holders = (...pids: number[]) => pids.map((pid) => ({ pid, process: null }));
    const v4 = row({ owners: holders(10, 11, 12) });
    const v6 = row({ family: 6, localAddress: '::', owners: holders(12, 10, 11) });
    expect(toViewRows([v4, v6], true)).toHaveLength(1);
    // Same first PID, other workers: two sockets that must stay apart.
    const other6 = row({ family: 6, localAddress: '::', owners: holders(10, 13) });
    expect(toViewRows([v4, other6], true)).toHaveLength(2);
    const onLo = row({ family: 6, localAddress: '::', owners: holders(10, 11, 12), device: 'lo' });
    expect(toViewRows([v4, onLo], true)).toHaveLength(2);
  });

  it('shows each member’s address as ss writes it', () => {
    const v4 = row({ localAddress: '0.0.0.0', device: 'eth0' });
    expect(localAddressText({ key: v4.key, row: v4, members: [v4] })).toBe('0.0.0.0%eth0');
    const dual = row({ family: 6, localAddress: '::', v6only: false });
    expect(localAddressText({ key: dual.key, row: dual, members: [dual] })).toBe('*');
  });
});

describe('sortViewRows', () => {
  const lines = () =>
    toViewRows(
      [
        row({ localPort: 3000, name: 'b', localAddress: '10.0.0.10', pid: 5 }),
        row({ localPort: 80, name: 'a', localAddress: '10.0.0.2', pid: 50 }),
        row({ localPort: 443, name: null, pid: null, localAddress: '127.0.0.1' }),
        row({ localPort: 22, name: 'b', localAddress: '::', family: 6, pid: 7 }),
      ],
      false,
    );
  const ports = (xs: ViewRow[]) => xs.map((x) => x.row.localPort);

  it('sorts numbers numerically, addresses by octet, text case-insensitively; ties by port', () => {
    expect(ports(sortViewRows(lines(), { column: 'port', dir: 'asc' }))).toEqual([22, 80, 443, 3000]);
    expect(ports(sortViewRows(lines(), { column: 'port', dir: 'desc' }))).toEqual([3000, 443, 80, 22]);
    expect(ports(sortViewRows(lines(), { column: 'local', dir: 'asc' }))).toEqual([80, 3000, 443, 22]);
    expect(ports(sortViewRows(lines(), { column: 'pid', dir: 'asc' }))).toEqual([3000, 22, 80, 443]);
    // Equal names keep a fixed order (by port); a missing owner goes last both ways.
    expect(ports(sortViewRows(lines(), { column: 'process', dir: 'asc' }))).toEqual([80, 22, 3000, 443]);
    expect(ports(sortViewRows(lines(), { column: 'process', dir: 'desc' }))).toEqual([22, 3000, 80, 443]);
  });

  it('an incremental update gives exactly what a full sort gives', () => {
    const columns: SortColumn[] = ['port', 'process', 'pid', 'local', 'state', 'remote', 'started', 'user'];
    let seed = 7;
    const rand = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % k;
    };
    const make = () =>
      row({
        localPort: 1 + rand(50),
        pid: rand(5) ? 1 + rand(20) : null,
        name: rand(6) ? `p${rand(8)}` : null,
        state: rand(2) ? 'LISTEN' : 'ESTABLISHED',
        remoteAddress: rand(2) ? `10.0.0.${rand(20)}` : null,
        remotePort: rand(100),
      });
    for (const column of columns) {
      for (const dir of ['asc', 'desc'] as const) {
        const spec = { column, dir };
        const current = new Map<string, SocketRow>();
        for (let i = 0; i < 300; i++) {
          const r = make();
          current.set(r.key, r);
        }
        let sorted = sortViewRows(toViewRows(current.values(), false), spec);
        for (let round = 0; round < 5; round++) {
          const dirty = new Set<string>();
          const keys = [...current.keys()];
          for (let i = 0; i < 20; i++) {
            const k = keys[rand(keys.length)] as string;
            dirty.add(k);
            current.delete(k);
          }
          for (let i = 0; i < 15; i++) {
            const r = make();
            current.set(r.key, r);
            dirty.add(r.key);
          }
          // Rows replaced with equal sort values (a process's CPU moved) or another owner's name.
          for (let i = 0; i < 10; i++) {
            const c = keys[rand(keys.length)] as string;
            const r = current.get(c);
            if (!r) continue;
            const name = i % 2 ? r.process?.name : `p${rand(8)}`;
            current.set(c, {
              ...r,
              process: r.process && { ...r.process, name: name ?? 'x', cpu: rand(100) },
            });
            dirty.add(c);
          }
          const k = keys[rand(keys.length)] as string;
          if (current.has(k)) {
            current.set(k, { ...(current.get(k) as SocketRow), localPort: 1 + rand(50) });
            dirty.add(k);
          }
          sorted = resortIncremental(
            sorted,
            dirty,
            (key) => {
              const r = current.get(key);
              return r ? { key, row: r, members: [r] } : null;
            },
            spec,
          );
          const full = sortViewRows(toViewRows(current.values(), false), spec);
          expect(
            sorted.map((x) => x.key),
            `${column} ${dir}`,
          ).toEqual(full.map((x) => x.key));
        }
      }
    }
  });
});

describe('sorting by traffic', () => {
  it('Sent, Received and Rate sort by their numbers, rows without counters last', async () => {
    const { sortViewRows, trafficRate } = await import('./view');
    const { testRow } = await import('./testing/rows');
    const t = (sent: number, rate: number | null) => ({
      bytesSent: sent,
      bytesReceived: 0,
      sendRate: rate,
      receiveRate: rate === null ? null : 0,
    });
    const rows = [
      { ...testRow(1, { state: 'ESTABLISHED' }), traffic: t(5, 10) },
      { ...testRow(2, { state: 'ESTABLISHED' }), traffic: null },
      { ...testRow(3, { state: 'ESTABLISHED' }), traffic: t(500, 1) },
    ];
    expect(trafficRate(rows[1] as (typeof rows)[number])).toBeNull();
    const order = (column: 'sent' | 'rate', dir: 'asc' | 'desc') =>
      sortViewRows(
        rows.map((r) => ({ key: r.key, row: r, members: [r] })),
        { column, dir },
      ).map((v) => v.row.localPort);
    expect(order('sent', 'desc')).toEqual([3, 1, 2]);
    expect(order('rate', 'desc')).toEqual([1, 3, 2]);
  });
});
