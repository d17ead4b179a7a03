import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine';
import { InodeOwners } from '../processes/inode-owners';
import { ProcNetSource } from '../sources/proc-net/proc-net-source';
import { closeAll, openTcp, portOf } from '../testing/sockets';
import { RemoteNames } from './remote-names';

/**
 * Remote names on real connections through the engine. A connected UDP socket has a real remote
 * end without a packet sent, so private and public peers need no network. The public peer's
 * lookup is injected: this machine has no DNS for the internet.
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function connectedUdp(host: string): Promise<dgram.Socket | null> {
  const s = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const ok = await new Promise<boolean>((resolve) => {
    s.once('error', () => resolve(false));
    s.connect(9, host, () => resolve(true));
  });
  if (!ok) {
    s.close();
    return null;
  }
  cleanups.push(() => s.close());
  return s;
}

const engineWith = (names: RemoteNames) =>
  createEngine({ sources: [new ProcNetSource()], holders: new InodeOwners(), remoteNames: names });

describe.runIf(process.platform === 'linux')('remote names on real connections', () => {
  it('labels a 127.0.0.1 connection and a private peer without any lookup', async () => {
    const server = await openTcp('127.0.0.1');
    const client = net.connect(portOf(server), '127.0.0.1');
    cleanups.push(
      () => client.destroy(),
      () => closeAll([server]),
    );
    await new Promise<void>((r) => client.once('connect', () => r()));
    const priv = await connectedUdp('10.1.2.3');
    if (!priv) throw new Error('no route for a connected UDP socket to 10.1.2.3');
    const names = new RemoteNames({ lookup: async () => 'never.asked' });
    const { rows } = await engineWith(names).collect('all');
    const out = rows.find((r) => r.remotePort === portOf(server) && r.localPort === client.localPort);
    expect(out?.remoteName).toBe('loopback');
    const udp = rows.find((r) => r.protocol === 'udp' && r.localPort === priv.address().port);
    expect(udp).toMatchObject({ remoteAddress: '10.1.2.3', remoteName: 'private network' });
    expect(names.lookups).toBe(0);
  });

  it('never delays a poll: the name of a public peer arrives with a later poll', async (ctx) => {
    const pub = await connectedUdp('203.0.113.5');
    if (!pub) ctx.skip('no default route here: a public peer cannot be connected to');
    let release: (name: string | null) => void = () => {};
    const names = new RemoteNames({ lookup: () => new Promise((r) => (release = r)) });
    const engine = engineWith(names);
    const find = (rows: { protocol: string; localPort: number; remoteName?: string | null }[]) =>
      rows.find((r) => r.protocol === 'udp' && r.localPort === pub?.address().port);
    // The lookup hangs, and the poll still finishes, without the name.
    expect(find((await engine.collect('all')).rows)?.remoteName).toBeNull();
    expect(names.lookups).toBe(1);
    release('peer.example.net');
    await names.idle();
    expect(find((await engine.collect('all')).rows)?.remoteName).toBe('peer.example.net');
    await engine.collect('all');
    expect(names.lookups).toBe(1);
  });
});
