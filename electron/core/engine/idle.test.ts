import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Delta } from '../../../shared/model';
import { Monitor } from '../monitor/monitor';
import { NetlinkSource } from '../sources/netlink/netlink-source';
import {
  loadSockDiag,
  RECORD_WORDS,
  type SockDiagAddon,
  type SockDiagDump,
  W,
} from '../sources/netlink/sock-diag-addon';
import { createEngine, type Engine } from './engine';

/**
 * The idle fast path must never hide a change. The kernel answers of these tests are real dumps
 * of real loopback sockets; to make "only this one field of this one socket differs" exact on a
 * machine where other programs open sockets all the time, a later answer is the first one with
 * just that socket's record taken from a real later dump (or removed).
 */

const addon = loadSockDiag();
const skip = process.platform !== 'linux' || !addon || !NetlinkSource.create(addon);
const ALL = 0xffffffff;
const TCP_CLOSE_WAIT = 8;
const RECORD_BYTES = RECORD_WORDS * 4;

/** The real addon, except that dump() answers with the queued dumps (copies) once it has them. */
function replaying(real: SockDiagAddon): SockDiagAddon & { next: SockDiagDump | null } {
  const a = {
    next: null as SockDiagDump | null,
    probe: () => real.probe(),
    recordWords: real.recordWords,
    dump: async (tcp: number, udp: number, info: boolean) =>
      copy(a.next ?? (await real.dump(tcp, udp, info))),
    // What the source calls once it knows the table is small (these tests' tables are).
    dumpSync: (tcp: number, udp: number, info: boolean) =>
      copy(a.next ?? (real.dumpSync as NonNullable<SockDiagAddon['dumpSync']>)(tcp, udp, info)),
  };
  return a;
}

function copy(d: SockDiagDump): SockDiagDump {
  return { records: Buffer.from(d.records), strings: [...d.strings], errors: [...d.errors] };
}

/** An engine on the replaying addon, and a monitor whose All view's deltas are kept. */
function watched(replay: SockDiagAddon): { engine: Engine; monitor: Monitor; deltas: Delta[] } {
  const engine = createEngine({ sources: [NetlinkSource.create(replay) as NetlinkSource] });
  const monitor = new Monitor({ engine, intervalMs: 60_000 });
  const deltas: Delta[] = [];
  monitor.subscribe({ scope: 'all' }, (ev) => {
    if (ev.type === 'delta') deltas.push(ev.delta);
  });
  return { engine, monitor, deltas };
}

function words(d: SockDiagDump): Uint32Array {
  return new Uint32Array(d.records.buffer, d.records.byteOffset, d.records.byteLength >>> 2);
}

/** Index of the TCP record with these ports, or -1. */
function indexOf(d: SockDiagDump, lport: number, rport: number): number {
  const w = words(d);
  for (let i = 0; i * RECORD_WORDS < w.length; i++) {
    const o = i * RECORD_WORDS;
    if (w[o + W.proto] === 6 && w[o + W.lport] === lport && w[o + W.rport] === rport) return i;
  }
  return -1;
}

/** Only the TCP records with one of these ports at either end (this test's own sockets). */
function only(d: SockDiagDump, ports: number[]): SockDiagDump {
  const w = words(d);
  const keep: Buffer[] = [];
  for (let i = 0; i * RECORD_WORDS < w.length; i++) {
    const o = i * RECORD_WORDS;
    const mine = ports.includes(w[o + W.lport] as number) || ports.includes(w[o + W.rport] as number);
    if (w[o + W.proto] === 6 && mine) keep.push(d.records.subarray(i * RECORD_BYTES, (i + 1) * RECORD_BYTES));
  }
  return { records: Buffer.concat(keep), strings: d.strings, errors: d.errors };
}

/** `base` with record `i` replaced by record `j` of `from`, or removed when `from` is null. */
function patched(base: SockDiagDump, i: number, from: SockDiagDump | null, j = -1): SockDiagDump {
  const head = base.records.subarray(0, i * RECORD_BYTES);
  const tail = base.records.subarray((i + 1) * RECORD_BYTES);
  const mid = from ? from.records.subarray(j * RECORD_BYTES, (j + 1) * RECORD_BYTES) : Buffer.alloc(0);
  return { records: Buffer.concat([head, mid, tail]), strings: base.strings, errors: base.errors };
}

const open: net.Socket[] = [];
const servers: net.Server[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.destroy();
  for (const s of servers.splice(0)) s.close();
});

/** A loopback connection; resolves with the client and the server's accepted end. */
async function connection(): Promise<{ server: net.Server; client: net.Socket; accepted: net.Socket }> {
  let accepted!: net.Socket;
  const server = net.createServer();
  const gotIt = new Promise<void>((r) => {
    server.once('connection', (s) => {
      accepted = s;
      r();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  // Half-open allowed: after the server's FIN the client stays in CLOSE_WAIT instead of closing too.
  const client = net.connect({
    port: (server.address() as net.AddressInfo).port,
    host: '127.0.0.1',
    allowHalfOpen: true,
  });
  await new Promise<void>((r) => client.once('connect', () => r()));
  await gotIt;
  open.push(client, accepted);
  servers.push(server);
  return { server, client, accepted };
}

describe.skipIf(skip)('idle polls: the same kernel answer costs no decode, and no change is hidden', () => {
  it('an identical answer returns the same rows; a state change on the same ports does not', async () => {
    const real = addon as SockDiagAddon;
    const { client, accepted } = await connection();
    const lport = client.localPort as number;
    const rport = client.remotePort as number;
    const before = await real.dump(ALL, ALL, false);
    const i = indexOf(before, lport, rport);
    expect(i).toBeGreaterThanOrEqual(0);
    // The server closes its end: the client's socket turns CLOSE_WAIT, same cookie, same ports.
    accepted.end();
    let after = before;
    let j = -1;
    // A bounded wait for the kernel to process the FIN (an outside fact, not a timing assertion).
    for (let tries = 0; tries < 250; tries++) {
      after = await real.dump(ALL, ALL, false);
      j = indexOf(after, lport, rport);
      if (j >= 0 && words(after)[j * RECORD_WORDS + W.state] === TCP_CLOSE_WAIT) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(words(after)[j * RECORD_WORDS + W.state]).toBe(TCP_CLOSE_WAIT);

    const replay = replaying(real);
    const source = NetlinkSource.create(replay) as NetlinkSource;
    const signal = new AbortController().signal;
    replay.next = before;
    const first = await source.collect({ scope: 'all', signal });
    expect(await source.collect({ scope: 'all', signal })).toBe(first);

    replay.next = patched(before, i, after, j);
    const changed = await source.collect({ scope: 'all', signal });
    expect(changed).not.toBe(first);
    expect(changed).toHaveLength(first.length);
    const mine = changed.find((r) => r.localPort === lport && r.remotePort === rport);
    expect(mine?.state).toBe('CLOSE_WAIT');
    expect(first.find((r) => r.localPort === lport && r.remotePort === rport)?.state).toBe('ESTABLISHED');
  });

  it('the engine and monitor: a quiet poll is an empty delta with the very same rows; a close is removed', async () => {
    const real = addon as SockDiagAddon;
    const { client } = await connection();
    const lport = client.localPort as number;
    const rport = client.remotePort as number;
    // Only this test's sockets: other programs' holders come and go, and that is a real change.
    const base = only(await real.dump(ALL, ALL, false), [lport, rport]);
    const i = indexOf(base, lport, rport);
    expect(i).toBeGreaterThanOrEqual(0);
    const replay = replaying(real);
    replay.next = base;
    const { engine, monitor, deltas } = watched(replay);
    try {
      const a = await engine.collect('all');
      const b = await engine.collect('all');
      expect(b.rows).toBe(a.rows);
      expect(b.byKey).toBe(a.byKey);
      const row = a.rows.find((r) => r.localPort === lport && r.remotePort === rport);
      expect(row?.pid).toBe(process.pid);

      monitor.start();
      await monitor.ready();
      await monitor.pollNow();
      expect(deltas.at(-1)).toMatchObject({ added: [], removed: [], changed: [] });

      // The client's socket is gone from the kernel's answer: the next poll says so.
      replay.next = patched(base, i, null);
      await monitor.pollNow();
      expect(deltas.at(-1)?.removed).toEqual([row?.key]);
      expect(deltas.at(-1)?.added).toEqual([]);
    } finally {
      monitor.stop();
    }
  });

  it('a connection that moved data falls back to rate 0 on the next identical answer', async () => {
    const real = addon as SockDiagAddon;
    const { client, accepted } = await connection();
    const ports = [client.localPort as number, client.remotePort as number];
    accepted.on('data', () => {});
    const replay = replaying(real);
    const engine = createEngine({ sources: [NetlinkSource.create(replay) as NetlinkSource] });
    const mine = (rows: { localPort: number; remotePort: number | null; traffic?: unknown }[]) =>
      rows.find((r) => r.localPort === ports[0] && r.remotePort === ports[1]) as
        | { traffic?: { bytesSent: number; sendRate: number | null } | null }
        | undefined;
    replay.next = only(await real.dump(ALL, ALL, true), ports);
    await engine.collect('all');
    await new Promise<void>((r) => client.write(Buffer.alloc(256 * 1024), () => r()));
    // A bounded wait until the kernel counts the bytes as acknowledged (an outside fact).
    let moved = replay.next;
    for (let tries = 0; tries < 250; tries++) {
      moved = only(await real.dump(ALL, ALL, true), ports);
      replay.next = moved;
      const t = mine((await engine.collect('all')).rows)?.traffic;
      if (t && t.bytesSent >= 256 * 1024 && (t.sendRate ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(mine((await engine.collect('all')).rows)?.traffic?.sendRate).toBe(0);
  });

  it('a name that arrived for a remote address reaches the rows although the kernel answer is the same', async () => {
    const real = addon as SockDiagAddon;
    const { client } = await connection();
    const ports = [client.localPort as number, client.remotePort as number];
    const replay = replaying(real);
    replay.next = only(await real.dump(ALL, ALL, false), ports);
    // The resolver is not what this test is about: a stand-in whose answer arrives between two polls.
    let answer: string | null = null;
    let answers = 0;
    const remoteNames = { name: () => answer, version: () => answers };
    const engine = createEngine({ sources: [NetlinkSource.create(replay) as NetlinkSource], remoteNames });
    const row = async () =>
      (await engine.collect('all')).rows.find((r) => r.localPort === ports[0] && r.remotePort === ports[1]);
    expect((await row())?.remoteName).toBeNull();
    expect((await row())?.remoteName).toBeNull();
    answer = 'db.example.internal';
    answers++;
    expect((await row())?.remoteName).toBe('db.example.internal');
  });

  it('only byte counters moved: the same socket list, counters updated, and only that row re-rated', async () => {
    const real = addon as SockDiagAddon;
    const { client } = await connection();
    const ports = [client.localPort as number, client.remotePort as number];
    const base = only(await real.dump(ALL, ALL, true), ports);
    const i = indexOf(base, ports[0] as number, ports[1] as number);
    expect(i).toBeGreaterThanOrEqual(0);
    const moved = { ...base, records: Buffer.from(base.records) };
    const w = words(moved);
    w[i * RECORD_WORDS + W.ackedLo] = (w[i * RECORD_WORDS + W.ackedLo] as number) + 4096;
    const replay = replaying(real);
    const source = NetlinkSource.create(replay) as NetlinkSource;
    const engine = createEngine({ sources: [source] });
    replay.next = base;
    const first = await engine.collect('all');
    const sent = (rows: typeof first.rows) =>
      rows.find((r) => r.localPort === ports[0] && r.remotePort === ports[1])?.traffic?.bytesSent ?? -1;
    const before = sent(first.rows);
    replay.next = moved;
    const second = await engine.collect('all');
    expect(sent(second.rows)).toBe(before + 4096);
    // Every other row is the very same object: nothing else was rebuilt.
    const others = (r: { localPort: number; remotePort: number | null }) =>
      !(r.localPort === ports[0] && r.remotePort === ports[1]);
    const kept = second.rows.filter(others);
    const had = first.rows.filter(others);
    expect(kept.length).toBe(had.length);
    expect(kept.every((r, k) => r === had[k])).toBe(true);
    // The source handed back the very same list (no decode), its counters updated in place.
    const again = replaying(real);
    const src = NetlinkSource.create(again) as NetlinkSource;
    const signal = new AbortController().signal;
    again.next = base;
    const l1 = await src.collect({ scope: 'all', signal });
    again.next = moved;
    const l2 = await src.collect({ scope: 'all', signal });
    expect(l2).toBe(l1);
    const mine = l2.find((r) => r.localPort === ports[0] && r.remotePort === ports[1]);
    expect(mine?.tcp?.bytesAcked).toBe(before + 4096);
    // It names that socket alone as moved, so the engine looks at nothing else.
    expect(src.movedCounters()).toEqual([mine]);
    again.next = moved;
    await src.collect({ scope: 'all', signal });
    expect(src.movedCounters()).toEqual([]);
  });

  it('a moved counter reaches the monitor as that one changed row, over a map made from the last', async () => {
    const real = addon as SockDiagAddon;
    const { client } = await connection();
    const ports = [client.localPort as number, client.remotePort as number];
    const base = only(await real.dump(ALL, ALL, true), ports);
    const i = indexOf(base, ports[0] as number, ports[1] as number);
    const bump = (d: SockDiagDump, by: number): SockDiagDump => {
      const next = { ...d, records: Buffer.from(d.records) };
      const w = words(next);
      w[i * RECORD_WORDS + W.recvLo] = (w[i * RECORD_WORDS + W.recvLo] as number) + by;
      return next;
    };
    const replay = replaying(real);
    replay.next = base;
    const { monitor, deltas } = watched(replay);
    try {
      monitor.start();
      await monitor.ready();
      await monitor.pollNow();
      const key = monitor
        .current()
        ?.rows.find((r) => r.localPort === ports[0] && r.remotePort === ports[1])?.key;
      expect(key).toBeDefined();
      for (const by of [1000, 3000]) {
        replay.next = bump(replay.next as SockDiagDump, by);
        await monitor.pollNow();
        const d = deltas.at(-1);
        expect(d?.added).toEqual([]);
        expect(d?.removed).toEqual([]);
        expect(d?.changed.map((r) => r.key)).toEqual([key]);
        expect(d?.changed[0]?.traffic?.receiveRate).toBeGreaterThan(0);
      }
      // Nothing moved: the rate falls to 0 once, then there is nothing to send.
      await monitor.pollNow();
      expect(deltas.at(-1)?.changed.map((r) => [r.key, r.traffic?.receiveRate])).toEqual([[key, 0]]);
      await monitor.pollNow();
      expect(deltas.at(-1)?.changed).toEqual([]);
      // The snapshot agrees with the deltas: the row's received bytes include both bumps.
      const now = monitor.current()?.rows.find((r) => r.key === key);
      const first = words(base)[i * RECORD_WORDS + W.recvLo] as number;
      expect(now?.traffic?.bytesReceived).toBe(first + 4000);
    } finally {
      monitor.stop();
    }
  });
});
