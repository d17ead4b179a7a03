import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import si from 'systeminformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiSource } from '../sources/si/si-source';
import { SsUdpSource } from '../sources/si/ss-udp-source';
import type { Source } from '../sources/types';
import { until } from '../testing/polls';
import { canBind, closeAll, openTcp, openUdp, portOf } from '../testing/sockets';
import { createEngine } from './engine';

const linux = process.platform === 'linux';

describe('engine with the platform sources (real sockets)', () => {
  const opened: Parameters<typeof closeAll>[0] = [];
  let tcp4 = 0;
  let udp4 = 0;
  beforeAll(async () => {
    const t = await openTcp('127.0.0.1');
    const u = await openUdp('udp4', '127.0.0.1');
    opened.push(t, u);
    tcp4 = portOf(t);
    udp4 = portOf(u);
  });
  afterAll(() => closeAll(opened));

  it('lists a TCP listener and a bound UDP socket with this PID and process name', async () => {
    const { rows, errors } = await createEngine().collect('listening');
    expect(errors).toEqual([]);
    const t = rows.find((r) => r.protocol === 'tcp' && r.localPort === tcp4);
    const u = rows.find((r) => r.protocol === 'udp' && r.localPort === udp4);
    expect(t).toMatchObject({ state: 'LISTEN', family: 4, localAddress: '127.0.0.1', pid: process.pid });
    expect(u).toMatchObject({ state: 'UNCONN', family: 4, remoteAddress: null, pid: process.pid });
    expect(t?.process?.name).toMatch(/node/);
    expect(t?.process?.command).toContain(process.argv0.split('/').pop() ?? 'node');
    expect(t?.process?.startId).toMatch(/^\S+$/);
    // Keyed by the socket itself (its cookie from netlink, else its inode), not by address or owner.
    expect(t?.key).toMatch(/^tcp:[ci]\d+$/);
    if (t?.key.startsWith('tcp:i')) expect(t?.key).toBe(`tcp:i${t?.inode}`);
  });

  it.runIf(linux)('fills the gap si leaves: si misses the bound UDP socket, the engine has it', async () => {
    const siRows = await si.networkConnections();
    expect(siRows.some((c) => c.protocol.startsWith('udp') && Number(c.localPort) === udp4)).toBe(false);
    const { rows } = await createEngine().collect('listening');
    expect(rows.some((r) => r.protocol === 'udp' && r.localPort === udp4 && r.pid === process.pid)).toBe(
      true,
    );
  });

  it.runIf(linux)('the si + ss fallback also sees the UDP socket, with its PID', async () => {
    const { rows, errors } = await createEngine({ sources: [new SiSource(), new SsUdpSource()] }).collect(
      'listening',
    );
    expect(errors).toEqual([]);
    expect(rows.find((r) => r.protocol === 'udp' && r.localPort === udp4)?.pid).toBe(process.pid);
    expect(rows.find((r) => r.protocol === 'tcp' && r.localPort === tcp4)?.pid).toBe(process.pid);
  });

  it('sees IPv6 listeners on ::1 and :: when the machine has IPv6', async (ctx) => {
    if (!(await canBind('::1'))) ctx.skip();
    const v6 = await openTcp('::1');
    const any = await openTcp('::');
    const u6 = await openUdp('udp6', '::1');
    try {
      const { rows } = await createEngine().collect('listening');
      const find = (p: number) => rows.find((r) => r.localPort === p && r.pid === process.pid);
      expect(find(portOf(v6))).toMatchObject({ family: 6, localAddress: '::1', protocol: 'tcp' });
      expect(find(portOf(any))).toMatchObject({ family: 6, localAddress: '::', protocol: 'tcp' });
      expect(find(portOf(u6))).toMatchObject({
        family: 6,
        localAddress: '::1',
        protocol: 'udp',
        state: 'UNCONN',
      });
    } finally {
      await closeAll([v6, any, u6]);
    }
  });

  it("scope 'all' adds the established connections of both ends", async () => {
    const net = await import('node:net');
    const client = net.connect(tcp4, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    try {
      const { rows } = await createEngine().collect('all');
      const ends = rows.filter(
        (r) =>
          r.state === 'ESTABLISHED' &&
          (r.localPort === tcp4 || r.remotePort === tcp4) &&
          r.pid === process.pid,
      );
      expect(ends).toHaveLength(2);
      const listening = await createEngine().collect('listening');
      expect(listening.rows.some((r) => r.state === 'ESTABLISHED')).toBe(false);
    } finally {
      client.destroy();
    }
  });
});

describe('failure is a state, never an empty list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-tools-'));
  // A fake `ss` that never answers: the failure under test, not a mock of the behaviour.
  writeFileSync(join(dir, 'ss'), `#!${process.execPath}\nsetInterval(() => {}, 1000);\n`);
  chmodSync(join(dir, 'ss'), 0o755);

  it('reports a missing tool when PATH has none', async () => {
    const engine = createEngine({ sources: [new SsUdpSource({ pathEnv: join(dir, 'empty') })] });
    const { rows, errors } = await engine.collect('listening');
    expect(rows).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ source: 'ss-udp', tool: 'ss', kind: 'missing' })]);
    expect(errors[0]?.hint).toMatch(/iproute2/);
  });

  it('reports systeminformation as missing its tools when PATH has none', async () => {
    const saved = process.env.PATH;
    process.env.PATH = join(dir, 'empty');
    try {
      const { errors } = await createEngine({ sources: [new SiSource()] }).collect('all');
      expect(errors).toEqual([expect.objectContaining({ source: 'systeminformation', kind: 'missing' })]);
    } finally {
      process.env.PATH = saved;
    }
  });

  it.runIf(linux)('times out a hung tool, kills it, and keeps the other sources', async () => {
    const engine = createEngine({
      sources: [
        new SsUdpSource({ pathEnv: dir }),
        ...(await import('../sources/default-sources')).defaultSources(),
      ],
      timeoutMs: 300,
    });
    const { execFileSync } = await import('node:child_process');
    const server = await openTcp('127.0.0.1');
    const port = portOf(server);
    const { rows, errors } = await engine.collect('listening').finally(() => closeAll([server]));
    expect(errors).toEqual([expect.objectContaining({ source: 'ss-udp', kind: 'timeout' })]);
    expect(rows.some((r) => r.pid === process.pid && r.localPort === port)).toBe(true);
    // The hung child was killed, not left behind.
    const left = () =>
      execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.includes(dir));
    await until(() => left().length === 0, 5000, 'the hung tool to be killed').catch(() => {});
    expect(left()).toEqual([]);
  });

  it('turns an exception from any source into a failed error', async () => {
    const broken: Source = {
      name: 'broken',
      tool: 'nothing',
      collect: async () => {
        throw new Error('boom');
      },
    };
    const { errors } = await createEngine({ sources: [broken] }).collect('all');
    expect(errors).toEqual([{ source: 'broken', tool: 'nothing', kind: 'failed', message: 'boom' }]);
  });

  it('a hung process-details read is timed out: the socket is still listed and the hang reported', async () => {
    const server = await openTcp('127.0.0.1');
    try {
      // The reader stands in for a process whose /proc files block (the failure under test).
      const hung = { read: () => new Promise<never>(() => {}) };
      const { rows, errors } = await createEngine({ processes: hung, timeoutMs: 300 }).collect('listening');
      expect(rows.some((r) => r.localPort === portOf(server) && r.pid === process.pid)).toBe(true);
      expect(errors).toContainEqual(expect.objectContaining({ source: 'processes', kind: 'timeout' }));
    } finally {
      await closeAll([server]);
    }
  });
});
