import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../core/engine/engine';
import { loadSockDiag } from '../core/sources/netlink/sock-diag-addon';
import { ended, type LoopbackPair, loopbackPair } from '../core/testing/connections';
import { type CloseIo, parseEndpoint, runClose } from './close-command';

const engine = createEngine();

function testIo(opts: { tty?: boolean; answer?: string } = {}) {
  let out = '';
  let err = '';
  const stdin = Object.assign(new PassThrough(), { isTTY: opts.tty ?? false });
  stdin.end(opts.answer === undefined ? undefined : `${opts.answer}\n`);
  const io: CloseIo = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin,
    collect: (scope) => engine.collect(scope),
  };
  return { io, out: () => out, err: () => err };
}

const pairs: LoopbackPair[] = [];
afterEach(() => {
  for (const p of pairs.splice(0)) p.close();
});

function ssShows(a: number, b: number): boolean {
  const out = execFileSync('ss', ['-tanH', 'sport', '=', `:${a}`, 'and', 'dport', '=', `:${b}`], {
    encoding: 'utf8',
  });
  return out.split('\n').some((l) => l.includes('ESTAB'));
}

describe('parseEndpoint', () => {
  it('takes a.b.c.d:port and [v6]:port, nothing else', () => {
    expect(parseEndpoint('127.0.0.1:5000')).toMatchObject({ family: 4, port: 5000 });
    expect(parseEndpoint('[::1]:80')).toMatchObject({ family: 6, port: 80 });
    for (const bad of [
      'localhost:80',
      '::1:80',
      '127.0.0.1',
      '127.0.0.1:0',
      '127.0.0.1:99999',
      '[fe80::1%lo]:80',
    ])
      expect(parseEndpoint(bad)).toBeNull();
  });
});

describe('portscope close: usage', () => {
  it('exit 2 for a missing or bad end, 2 without --yes off a terminal', async () => {
    const t = testIo();
    expect(await runClose(['127.0.0.1:1'], t.io)).toBe(2);
    expect(await runClose(['localhost:1', '127.0.0.1:2'], t.io)).toBe(2);
    expect(t.err()).toContain("invalid address 'localhost:1'");
  });
});

const skip = !loadSockDiag()?.destroy
  ? 'needs the netlink addon (npm run build:native)'
  : process.getuid?.() !== 0
    ? 'needs CAP_NET_ADMIN (root)'
    : null;

describe.skipIf(skip !== null)('portscope close on a real loopback connection', () => {
  it('--dry-run names the connection and its process, closes nothing, exit 0', async () => {
    const p = await loopbackPair();
    pairs.push(p);
    const t = testIo();
    const code = await runClose(
      [`127.0.0.1:${p.clientPort}`, `127.0.0.1:${p.serverPort}`, '--dry-run'],
      t.io,
    );
    expect(t.out()).toContain(
      `Would close the TCP connection 127.0.0.1:${p.clientPort} → 127.0.0.1:${p.serverPort} (ESTABLISHED)`,
    );
    expect(t.out()).toContain(`(PID ${process.pid})`);
    expect(t.out()).toContain('Dry run: nothing was closed.');
    expect(code).toBe(0);
    expect(ssShows(p.clientPort, p.serverPort)).toBe(true);
  });

  it('--yes closes it: the peer sees a reset, ss no longer shows it, exit 0; again: exit 1', async () => {
    const p = await loopbackPair();
    pairs.push(p);
    const peer = ended(p.client);
    const t = testIo();
    // The server's end this time: local is the server port.
    const args = [`127.0.0.1:${p.serverPort}`, `127.0.0.1:${p.clientPort}`, '--yes'];
    expect(await runClose(args, t.io)).toBe(0);
    expect(t.out()).toContain('Closed 127.0.0.1');
    expect(await peer).toBe('ECONNRESET');
    expect(ssShows(p.serverPort, p.clientPort)).toBe(false);
    const again = testIo();
    expect(await runClose(args, again.io)).toBe(1);
    expect(again.out()).toContain('No TCP connection');
  });

  it('no --yes and not a terminal: refuses (exit 2), the connection stays', async () => {
    const p = await loopbackPair();
    pairs.push(p);
    const t = testIo();
    expect(await runClose([`127.0.0.1:${p.clientPort}`, `127.0.0.1:${p.serverPort}`], t.io)).toBe(2);
    expect(t.err()).toContain('without --yes');
    expect(ssShows(p.clientPort, p.serverPort)).toBe(true);
  });

  it('answering no on a terminal closes nothing (exit 1)', async () => {
    const p = await loopbackPair();
    pairs.push(p);
    const t = testIo({ tty: true, answer: 'n' });
    expect(await runClose([`127.0.0.1:${p.clientPort}`, `127.0.0.1:${p.serverPort}`], t.io)).toBe(1);
    expect(t.out()).toContain('Nothing was closed.');
    expect(ssShows(p.clientPort, p.serverPort)).toBe(true);
  });
});
