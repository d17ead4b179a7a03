import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostCapabilities } from '../../../shared/contract';
import type { CloseConnectionResult, SocketRow } from '../../../shared/model';
import { closableConnection } from '../../../shared/socket-rules';
import { testRow } from '../../../shared/testing/rows';
import { createKiller } from '../kill';
import { Monitor } from '../monitor/monitor';
import { loadSockDiag } from '../sources/netlink/sock-diag-addon';
import { ended, loopbackPair } from '../testing/connections';
import { type ApiClient, createApi } from './api';

const skip = !loadSockDiag()?.destroy
  ? 'needs the netlink addon (npm run build:native)'
  : process.getuid?.() !== 0
    ? 'needs CAP_NET_ADMIN (root)'
    : null;

describe.skipIf(skip !== null)('connection:close through the api (real engine, real connection)', () => {
  let monitor: Monitor;
  let api: ApiClient;
  beforeAll(async () => {
    monitor = new Monitor({ intervalMs: 250 });
    monitor.start();
    api = createApi({ monitor, killer: createKiller() }).connect(() => {}, { scope: 'all' });
  });
  afterAll(() => {
    api.close();
    monitor.stop();
  });

  it('closes the connection of a row the table showed; the peer sees a reset', async () => {
    const pair = await loopbackPair();
    try {
      const peer = ended(pair.accepted);
      // A poll already in flight may predate the connection: the next one has it.
      let row: SocketRow | undefined;
      for (let i = 0; i < 3 && !row; i++) {
        await monitor.pollNow();
        const snap = (await api.invoke('snapshot:get', {})) as { rows: SocketRow[] };
        row = snap.rows.find((r) => r.localPort === pair.clientPort && r.remotePort === pair.serverPort);
      }
      const connection = row ? closableConnection(row) : null;
      expect(connection).not.toBeNull();
      const res = (await api.invoke('connection:close', { connection })) as CloseConnectionResult;
      expect(res.outcome).toBe('closed');
      expect(await peer).toBe('ECONNRESET');
      const caps = (await api.invoke('host:capabilities', {})) as HostCapabilities;
      expect(caps).toMatchObject({ closeConnection: true, closeConnectionReason: null });
    } finally {
      pair.close();
    }
  });
});

describe('connection:close refuses bad input before anything happens', () => {
  const closed: unknown[] = [];
  // The table has shown one connection (this block is about the request; the real close is above).
  const shown = testRow(5000, {
    key: 'tcp:c1234',
    state: 'ESTABLISHED',
    localAddress: '127.0.0.1',
    remoteAddress: '127.0.0.1',
    remotePort: 6000,
  });
  const monitor = new Monitor({
    intervalMs: 60_000,
    engine: { collect: async () => ({ rows: [shown], errors: [] }) },
  });
  beforeAll(() => monitor.pollNow());
  const client = createApi({
    monitor,
    killer: createKiller(),
    connections: {
      support: () => ({ supported: true, reason: null }),
      close: async (ref) => {
        closed.push(ref);
        return { outcome: 'closed', message: '', canElevate: false };
      },
    },
  }).connect(() => {});
  const ok = {
    protocol: 'tcp',
    family: 4,
    localAddress: '127.0.0.1',
    localPort: 5000,
    remoteAddress: '127.0.0.1',
    remotePort: 6000,
    cookie: '1234',
  };
  it.each([
    ['udp', { ...ok, protocol: 'udp' }],
    ['IPv6 text for family 4', { ...ok, localAddress: '::1' }],
    ['a hostname', { ...ok, remoteAddress: 'localhost' }],
    ['a cookie that is not digits', { ...ok, cookie: '12; rm -rf' }],
    ['port 0', { ...ok, localPort: 0 }],
    ['an extra field', { ...ok, pid: 1 }],
  ])('%s', async (_what, connection) => {
    await expect(client.invoke('connection:close', { connection })).rejects.toMatchObject({
      code: 'invalid-request',
    });
    expect(closed).toEqual([]);
  });

  it('a connection the table never showed (another cookie on the same ports) is refused, nothing closed', async () => {
    await expect(
      client.invoke('connection:close', { connection: { ...ok, cookie: '999' } }),
    ).rejects.toMatchObject({ code: 'refused' });
    expect(closed).toEqual([]);
  });

  it('a valid request reaches the closer, without elevation on a host that has no prompt', async () => {
    await client.invoke('connection:close', { connection: ok, elevate: true });
    expect(closed).toEqual([ok]);
  });
});
