import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InodeOwners } from '../processes/inode-owners';
import { ProcNetSource } from '../sources/proc-net/proc-net-source';
import { canBind, closeAll, openTcp, openUdp, portOf } from '../testing/sockets';
import { createEngine } from './engine';

/** Reach of real listeners, as the engine marks their rows (electron/cli/json-fields.test.ts: `list --json` carries them). */

const linux = process.platform === 'linux';
const open: (net.Server | import('node:dgram').Socket)[] = [];
const clients: net.Socket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await closeAll(open.splice(0));
});

describe.runIf(linux)('exposure of real sockets', () => {
  it('marks 127.0.0.1 loopback, 0.0.0.0 network, and connections neither', async () => {
    const local = await openTcp('127.0.0.1');
    const wide = await openTcp('0.0.0.0');
    const udp = await openUdp('udp4', '0.0.0.0');
    open.push(local, wide, udp);
    const client = net.connect(portOf(local), '127.0.0.1');
    clients.push(client);
    await new Promise<void>((r) => client.once('connect', () => r()));
    const engine = createEngine({ sources: [new ProcNetSource()], holders: new InodeOwners() });
    const { rows } = await engine.collect('all');
    const listen = (port: number, proto = 'tcp') =>
      rows.find((r) => r.localPort === port && r.protocol === proto && r.remotePort === null)?.exposure;
    expect(listen(portOf(local))).toBe('loopback');
    expect(listen(portOf(wide))).toBe('network');
    expect(listen(portOf(udp), 'udp')).toBe('network');
    const conn = rows.filter(
      (r) => r.state === 'ESTABLISHED' && (r.localPort === portOf(local) || r.remotePort === portOf(local)),
    );
    expect(conn.length).toBe(2);
    expect(conn.map((r) => r.exposure)).toEqual([null, null]);
  });

  it('marks ::1 loopback and :: network where IPv6 is available', async (ctx) => {
    if (!(await canBind('::1'))) ctx.skip('no IPv6 loopback (::1) on this machine');
    const local = await openTcp('::1');
    const wide = await openTcp('::');
    open.push(local, wide);
    const engine = createEngine({ sources: [new ProcNetSource()], holders: new InodeOwners() });
    const { rows } = await engine.collect('listening');
    expect(rows.find((r) => r.localPort === portOf(local))?.exposure).toBe('loopback');
    expect(rows.find((r) => r.localPort === portOf(wide))?.exposure).toBe('network');
  });
});
