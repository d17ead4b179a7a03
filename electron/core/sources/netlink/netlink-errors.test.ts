import { describe, expect, it } from 'vitest';
import { SourceFailure } from '../types';
import { NetlinkSource } from './netlink-source';
import { RECORD_WORDS, type SockDiagAddon, type SockDiagDump, W } from './sock-diag-addon';

/**
 * A stand-in addon for what this machine cannot be: a kernel without IPv6 or without udp_diag, a
 * refused netlink socket. The real addon is tested against real sockets in netlink-source.test.ts.
 */
function stub(answer: () => Promise<SockDiagDump>, probe = 0): SockDiagAddon {
  return { dump: answer, probe: () => probe, recordWords: RECORD_WORDS };
}

/** One packed record: a TCP listener on 127.0.0.1:8080 with a cookie above 2^53. */
function oneListener(): SockDiagDump {
  const words = new Uint32Array(RECORD_WORDS);
  words[W.proto] = 6;
  words[W.family] = 2;
  words[W.state] = 10;
  words[W.lport] = 8080;
  words[W.laddr] = 0;
  words[W.raddr] = 1;
  words[W.inode] = 4242;
  words[W.uid] = 1000;
  words[W.cookieLo] = 1;
  words[W.cookieHi] = 0x00400000;
  return { records: Buffer.from(words.buffer), strings: ['127.0.0.1', '0.0.0.0'], errors: [0, 97, 0, 97] };
}
const signal = new AbortController().signal;

describe('NetlinkSource errors', () => {
  it('a kernel without IPv6: the IPv4 rows, no error', async () => {
    const src = NetlinkSource.create(stub(async () => oneListener())) as NetlinkSource;
    const rows = await src.collect({ scope: 'listening', signal });
    expect(rows).toEqual([
      expect.objectContaining({
        protocol: 'tcp',
        family: 4,
        localAddress: '127.0.0.1',
        localPort: 8080,
        remoteAddress: null,
        state: 'LISTEN',
        inode: 4242,
        uid: 1000,
        cookie: ((0x00400000n << 32n) | 1n).toString(),
        pid: null,
      }),
    ]);
  });

  it('an IPv4 table that cannot be dumped (no udp_diag) fails the poll visibly', async () => {
    const src = NetlinkSource.create(
      stub(async () => ({ ...oneListener(), errors: [0, 0, 2, 0] })),
    ) as NetlinkSource;
    await expect(src.collect({ scope: 'all', signal })).rejects.toThrow(/udp4 dump failed \(errno 2\)/);
  });

  it('a refused netlink socket is a permission failure; a failed probe means no source at all', async () => {
    const refused = Object.assign(new Error('sock_diag: Permission denied'), { errno: 13 });
    const src = NetlinkSource.create(stub(() => Promise.reject(refused))) as NetlinkSource;
    const err = await src.collect({ scope: 'all', signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceFailure);
    expect((err as SourceFailure).kind).toBe('permission');
    expect(NetlinkSource.create(stub(async () => oneListener(), 2))).toBeNull();
  });
});
