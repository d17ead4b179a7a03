import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushChannel, PushPayloads } from '../../../shared/contract';
import type { Delta, MonitorStatus, Snapshot, SocketRow } from '../../../shared/model';
import { createKiller } from '../kill';
import { Monitor } from '../monitor/monitor';
import { createApi, type PortscopeCore } from './api';

/**
 * Two clients of one core in different scopes against the real engine: what one sets never
 * changes what the other sees (the browser-mode bug: a second tab in "Listening" emptied the first).
 */

let monitor: Monitor;
let core: PortscopeCore;
let server: Server;
const sockets: Socket[] = [];

beforeAll(async () => {
  monitor = new Monitor({ intervalMs: 150 });
  core = createApi({ monitor, killer: createKiller({ protectedPids: () => [process.pid] }) });
  server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  monitor.start();
  await monitor.ready();
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  monitor.stop();
  await new Promise((r) => server.close(r));
});

/** A client that keeps its own table from snapshot:get and its deltas, checking its seq has no gaps. */
function tab() {
  const deltas: Delta[] = [];
  const client = core.connect(<P extends PushChannel>(channel: P, payload: PushPayloads[P]) => {
    if (channel === 'delta') deltas.push(payload as Delta);
  });
  const rows = new Map<string, SocketRow>();
  let seq = 0;
  const sync = async () => {
    const snap = (await client.invoke('snapshot:get', {})) as Snapshot;
    rows.clear();
    for (const r of snap.rows) rows.set(r.key, r);
    seq = snap.seq;
    deltas.length = 0;
  };
  const apply = () => {
    for (const d of deltas.splice(0)) {
      if (d.seq <= seq) continue;
      expect(d.seq).toBe(seq + 1);
      seq = d.seq;
      for (const k of d.removed) rows.delete(k);
      for (const r of [...d.added, ...d.changed]) rows.set(r.key, r);
    }
    return [...rows.values()];
  };
  return { client, sync, apply, deltas };
}

const port = () => (server.address() as { port: number }).port;
/** The client side of a connection to our server, as the table shows it. */
const outgoing = (rows: SocketRow[], local: number) =>
  rows.find((r) => r.state === 'ESTABLISHED' && r.localPort === local && r.remotePort === port());

async function dial(): Promise<Socket> {
  const s = connect(port(), '127.0.0.1');
  await new Promise<void>((r) => s.once('connect', () => r()));
  sockets.push(s);
  return s;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await monitor.pollNow();
  }
}

describe('api clients with their own views', () => {
  it('a client in "listening" does not take the connections from a client in "all"', async () => {
    const a = tab();
    const b = tab();
    expect(((await a.client.invoke('monitor:set-scope', { scope: 'all' })) as MonitorStatus).scope).toBe(
      'all',
    );
    await a.sync();
    const first = await dial();
    await until(
      () => outgoing(a.apply(), first.localPort as number) !== undefined,
      'A to see the connection',
    );

    // B opens (and "reloads") in Listening, the way the renderer resyncs: set-scope, then snapshot:get.
    expect(
      ((await b.client.invoke('monitor:set-scope', { scope: 'listening' })) as MonitorStatus).scope,
    ).toBe('listening');
    await b.sync();
    await b.sync();
    expect(((await a.client.invoke('monitor:status', {})) as MonitorStatus).scope).toBe('all');
    expect(((await b.client.invoke('monitor:status', {})) as MonitorStatus).scope).toBe('listening');
    await monitor.pollNow();
    expect(outgoing(a.apply(), first.localPort as number)).toBeDefined();
    expect(b.apply().every((r) => r.state === 'LISTEN' || r.protocol === 'udp')).toBe(true);

    // A keeps getting its deltas: a new connection appears in A, never in B.
    const second = await dial();
    await until(() => outgoing(a.apply(), second.localPort as number) !== undefined, 'A to see the new one');
    expect(outgoing(b.apply(), second.localPort as number)).toBeUndefined();
    a.client.close();
    b.client.close();
  });

  it("pause is the pressing client's: the other client still gets deltas", async () => {
    const a = tab();
    const b = tab();
    await a.sync();
    await b.sync();
    expect(((await a.client.invoke('monitor:pause', {})) as MonitorStatus).state).toBe('paused');
    await monitor.pollNow();
    await monitor.pollNow();
    expect(a.deltas).toEqual([]);
    expect(b.deltas.length).toBeGreaterThanOrEqual(2);
    expect(((await b.client.invoke('monitor:status', {})) as MonitorStatus).state).toBe('polling');
    expect(((await a.client.invoke('monitor:resume', {})) as MonitorStatus).state).toBe('polling');
    a.apply();
    a.client.close();
    b.client.close();
  });
});
