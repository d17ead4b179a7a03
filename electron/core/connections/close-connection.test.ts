import { execFile, execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionRef } from '../../../shared/model';
import type { ElevationRunner } from '../kill/types';
import { loadSockDiag, type SockDiagAddon } from '../sources/netlink/sock-diag-addon';
import { closeServerFirst, ended, type LoopbackPair, loopbackPair } from '../testing/connections';
import { createConnectionCloser, unsupportedReason } from './close-connection';
import { findConnection } from './find-connection';
import { elevatedHelperPath } from './helper-path';

const addon = loadSockDiag();
const helper = elevatedHelperPath();
const isRoot = process.getuid?.() === 0;
const skip = !addon?.destroy
  ? 'needs the netlink addon with destroy (Linux, npm run build:native)'
  : !isRoot
    ? 'needs CAP_NET_ADMIN (run as root)'
    : null;
if (skip) console.warn(`close-connection tests skipped: ${skip}`);

const pairs: LoopbackPair[] = [];
afterEach(() => {
  for (const p of pairs.splice(0)) p.close();
});

/** The client end's row as the user saw it: 4-tuple + cookie, read from the kernel. */
async function clientRef(p: LoopbackPair): Promise<ConnectionRef> {
  const ref: ConnectionRef = {
    protocol: 'tcp',
    family: 4,
    localAddress: '127.0.0.1',
    localPort: p.clientPort,
    remoteAddress: '127.0.0.1',
    remotePort: p.serverPort,
    cookie: '',
  };
  const found = await findConnection(addon as SockDiagAddon, ref);
  if (found.kind !== 'present') throw new Error('connection not in the kernel table');
  return { ...ref, cookie: found.socket.cookie };
}

/** `ss` lines that name this 4-tuple (either end). */
function ssShows(a: number, b: number): string[] {
  const filter = ['sport', '=', `:${a}`, 'and', 'dport', '=', `:${b}`];
  const out = execFileSync('ss', ['-tanH', ...filter], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.trim() !== '' && !l.includes('TIME-WAIT'));
}

describe.skipIf(skip !== null)('close one connection (real loopback, SOCK_DESTROY)', () => {
  it('closes the client end: the peer sees a reset and ss no longer shows it', async () => {
    const p = await loopbackPair();
    pairs.push(p);
    const peer = ended(p.accepted);
    const own = ended(p.client);
    const ref = await clientRef(p);
    expect(ssShows(p.clientPort, p.serverPort).length).toBeGreaterThan(0);
    const res = await createConnectionCloser().close(ref);
    expect(res.outcome).toBe('closed');
    expect(await peer).toBe('ECONNRESET');
    expect(await own).toBe('ECONNABORTED');
    expect(ssShows(p.clientPort, p.serverPort)).toEqual([]);
    expect((await createConnectionCloser().close(ref)).outcome).toBe('not-found');
  });

  it('does not touch a new connection on the same 4-tuple (new cookie)', async () => {
    const first = await loopbackPair();
    pairs.push(first);
    const old = await clientRef(first);
    await closeServerFirst(first);
    const again = await loopbackPair(first.server, first.clientPort);
    pairs.push(again);
    expect(again.clientPort).toBe(first.clientPort);
    const now = await clientRef(again);
    expect(now.cookie).not.toBe(old.cookie);
    // Our re-check refuses, and so does the kernel itself when asked with the old cookie.
    const res = await createConnectionCloser().close(old);
    expect(res.outcome).toBe('changed');
    const a = addon as Required<SockDiagAddon>;
    const ip = Buffer.from([127, 0, 0, 1]);
    // Cookie mismatch: ENOENT on current kernels, ESTALE on older ones.
    expect([2, 116]).toContain(a.destroy(4, ip, old.localPort, ip, old.remotePort, BigInt(old.cookie)));
    // Still alive: data crosses it.
    const got = new Promise((r) => again.accepted.once('data', r));
    again.client.write('still here');
    expect(String(await got)).toBe('still here');
    expect(ssShows(again.clientPort, again.serverPort).length).toBeGreaterThan(0);
  });

  it('without CAP_NET_ADMIN it elevates: pkexec (stubbed) runs the helper with numbers only', async () => {
    const p = await loopbackPair();
    pairs.push(p);
    const peer = ended(p.accepted);
    const ref = await clientRef(p);
    // The kernel answers EPERM to an unprivileged SOCK_DESTROY: this addon does too.
    const denied: SockDiagAddon = { ...(addon as SockDiagAddon), destroy: () => 1 };
    const calls: string[][] = [];
    // pkexec cannot exist here (no polkit): the stub runs the helper directly, as root.
    const runner: ElevationRunner = (file, args) => {
      calls.push([file, ...args]);
      return new Promise((resolve) =>
        execFile(args[0] as string, args.slice(1), (err, _o, stderr) =>
          resolve({ code: err ? Number(err.code) : 0, cancelled: false, stderr: String(stderr) }),
        ),
      );
    };
    const closer = createConnectionCloser({ addon: denied, elevationRunner: runner });
    const first = await closer.close(ref);
    expect(first).toMatchObject({ outcome: 'permission-denied', canElevate: true });
    expect(calls).toEqual([]);
    const res = await closer.close(ref, { elevate: true });
    expect(calls).toEqual([
      ['pkexec', helper, '4', '7f000001', String(p.clientPort), '7f000001', String(p.serverPort), ref.cookie],
    ]);
    for (const arg of calls[0]?.slice(2) ?? []) expect(arg).toMatch(/^[0-9a-f]+$/);
    expect(res.outcome).toBe('closed');
    expect(await peer).toBe('ECONNRESET');
  });

  it('a dismissed prompt closes nothing', async () => {
    const p = await loopbackPair();
    pairs.push(p);
    const ref = await clientRef(p);
    const denied: SockDiagAddon = { ...(addon as SockDiagAddon), destroy: () => 1 };
    const runner: ElevationRunner = async () => ({ code: 126, cancelled: true, stderr: 'Request dismissed' });
    const res = await createConnectionCloser({ addon: denied, elevationRunner: runner }).close(ref, {
      elevate: true,
    });
    expect(res).toMatchObject({ outcome: 'elevation-cancelled', canElevate: true });
    expect((await findConnection(addon as SockDiagAddon, ref)).kind).toBe('present');
  });
});

describe.skipIf(!helper)('the elevated helper refuses anything but numbers', () => {
  const run = (args: string[]) =>
    new Promise<number>((resolve) =>
      execFile(helper as string, args, (err) => resolve(err ? Number(err.code) : 0)),
    );
  it.each([
    [[]],
    [['5', '7f000001', '1', '7f000001', '2', '3']],
    [['4', '127.0.0.1', '1', '7f000001', '2', '3']],
    [['4', '7F000001', '1', '7f000001', '2', '3']],
    [['4', '7f000001', '0', '7f000001', '2', '3']],
    [['4', '7f000001', '65536', '7f000001', '2', '3']],
    [['4', '7f000001', '01', '7f000001', '2', '3']],
    [['4', '7f000001', '1', '7f000001', '2', '-3']],
    [['4', '7f000001', '1', '7f000001', '2', '18446744073709551615']],
    [['4', '7f000001', '1', '7f000001', '2', '3; reboot']],
  ])('exit 4 for %j', async (args) => {
    expect(await run(args)).toBe(4);
  });
});

describe('unsupportedReason', () => {
  it('names why Windows and macOS have no Close connection', () => {
    expect(unsupportedReason('win32', null)).toMatch(/SetTcpEntry/);
    expect(unsupportedReason('darwin', null)).toMatch(/macOS has no/);
    expect(unsupportedReason('linux', null)).toMatch(/netlink addon/);
    expect(createConnectionCloser({ platform: 'darwin', addon: null }).support().supported).toBe(false);
  });
});
