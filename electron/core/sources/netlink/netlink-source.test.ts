import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningLoad, spawnLoad } from '../../../../bench/load/spawn-load';
import { localAddressLabel } from '../../../../shared/format';
import type { Family, Protocol } from '../../../../shared/model';
import { createEngine } from '../../engine/engine';
import { Monitor } from '../../monitor/monitor';
import { defaultSources } from '../default-sources';
import { parseProcNet } from '../proc-net/proc-net-parse';
import type { RawSocket } from '../types';
import { findOnPath } from '../which';
import { NetlinkSource } from './netlink-source';
import { loadSockDiag } from './sock-diag-addon';
import { decodeDump, type NetlinkSocket } from './sock-diag-decode';

const ALL = 0xffffffff;

/** A TCP listener on ::1 with one connection to it; null where this machine has no IPv6. */
async function listenV6(): Promise<{ port: number; close(): void } | null> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '::1', resolve);
    });
  } catch {
    return null;
  }
  const port = (server.address() as net.AddressInfo).port;
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const client = net.connect(port, '::1');
  await new Promise<void>((r) => client.once('connect', () => r()));
  const peer = await accepted;
  return {
    port,
    close: () => {
      client.destroy();
      peer.destroy();
      server.close();
    },
  };
}

const addon = loadSockDiag();
const source = NetlinkSource.create(addon);
/** Why the real-socket tests cannot run here, or null when they can. */
const skipReason =
  process.platform !== 'linux'
    ? 'netlink sock_diag is Linux-only'
    : !addon
      ? 'sock_diag addon not built (npm run build:native needs cc and the Node headers)'
      : !source
        ? 'this kernel cannot dump TCP/UDP through sock_diag'
        : null;
const signal = new AbortController().signal;

const TABLES: { file: string; protocol: Protocol; family: Family }[] = [
  { file: 'tcp', protocol: 'tcp', family: 4 },
  { file: 'tcp6', protocol: 'tcp', family: 6 },
  { file: 'udp', protocol: 'udp', family: 4 },
  { file: 'udp6', protocol: 'udp', family: 6 },
];

/** The /proc/net tables, parsed as the proc-net source does (no owners). */
function readProcNet(scope: 'all' | 'listening'): RawSocket[] {
  const rows: RawSocket[] = [];
  for (const t of TABLES) {
    let text = '';
    try {
      text = readFileSync(`/proc/net/${t.file}`, 'latin1');
    } catch {
      continue; // no IPv6 in this kernel
    }
    rows.push(...parseProcNet(text, t.protocol, t.family, scope));
  }
  return rows;
}

/** Every field /proc/net has, as one comparable value. uid is compared when /proc's parser gives it. */
function procFields(r: RawSocket, withUid: boolean): string {
  const { protocol, family, localAddress, localPort, remoteAddress, remotePort, state, inode } = r;
  const base = [protocol, family, localAddress, localPort, remoteAddress, remotePort, state, inode];
  return JSON.stringify(withUid ? [...base, r.uid] : base);
}

function byInode(rows: readonly NetlinkSocket[]): Map<number, NetlinkSocket> {
  const m = new Map<number, NetlinkSocket>();
  for (const r of rows) if (r.inode !== 0) m.set(r.inode, r);
  return m;
}

describe.skipIf(skipReason !== null)(
  `netlink source on a real load ${skipReason ? `(skipped: ${skipReason})` : ''}`,
  () => {
    const nl = source as NetlinkSource;
    let load: RunningLoad;

    beforeAll(async () => {
      // 2,000 TCP listeners + 1,000 bound UDP + 1,000 established pairs + the accepting listener.
      load = await spawnLoad(2000, 1000, 1000);
    }, 60_000);
    afterAll(async () => {
      await load?.stop();
    });

    it('gives the same rows as /proc/net for every field /proc/net has (5,000 sockets, by inode)', async () => {
      // Read netlink, /proc/net, netlink again: only sockets identical in both netlink reads count,
      // so sockets other processes open or close meanwhile cannot make this flaky.
      const before = byInode(await nl.collect({ scope: 'all', signal }));
      const proc = readProcNet('all');
      const after = byInode(await nl.collect({ scope: 'all', signal }));
      const withUid = proc.some((r) => r.uid !== undefined);
      const stable = new Set<number>();
      for (const [inode, a] of before) {
        const b = after.get(inode);
        if (b && procFields(a, true) === procFields(b, true)) stable.add(inode);
      }
      const procByInode = new Map(proc.filter((r) => r.inode).map((r) => [r.inode as number, r]));
      const differences: string[] = [];
      let compared = 0;
      for (const inode of stable) {
        const p = procByInode.get(inode);
        const n = before.get(inode) as NetlinkSocket;
        if (!p) {
          differences.push(`only netlink: ${procFields(n, withUid)}`);
          continue;
        }
        compared++;
        if (procFields(p, withUid) !== procFields(n, withUid))
          differences.push(`proc ${procFields(p, withUid)} vs netlink ${procFields(n, withUid)}`);
      }
      expect(differences).toEqual([]);
      expect(compared).toBeGreaterThanOrEqual(5000);
      // And nothing /proc/net holds that netlink missed (among sockets alive across all three reads).
      const missed = proc.filter(
        (r) => r.inode && before.has(r.inode) && after.has(r.inode) && !stable.has(r.inode),
      );
      expect(missed.length).toBeLessThan(compared / 100);
    });

    it("copies an answer into the caller's buffer when it fits, else into a new one", async () => {
      const a = addon as NonNullable<typeof addon>;
      const LISTEN = 1 << 10;
      const plain = await a.dump(LISTEN, 0, false);
      const big = Buffer.alloc(plain.records.length + 64 * 1024, 0xee);
      const into = await a.dump(LISTEN, 0, false, false, big);
      expect(into.records).toBe(big);
      const n = into.size as number;
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThanOrEqual(plain.records.length + 64 * 1024);
      expect(n % (a.recordWords * 4)).toBe(0);
      // Only the answer's bytes were written: the rest of the caller's buffer is untouched.
      expect(big.subarray(n).every((b) => b === 0xee)).toBe(true);
      // The same listeners as a plain dump (the load's 2,001 stay put between the two reads).
      const cookies = (d: { records: Buffer; strings: string[]; errors: number[] }) =>
        new Set(decodeDump(d).map((r) => r.cookie));
      const viaInto = cookies({ ...into, records: big.subarray(0, n) });
      const viaPlain = cookies(plain);
      expect([...viaPlain].filter((c) => viaInto.has(c)).length).toBeGreaterThanOrEqual(2001);
      const small = Buffer.alloc(8);
      const grown = await a.dump(LISTEN, 0, false, false, small);
      expect(grown.records).not.toBe(small);
      expect(grown.size).toBe(grown.records.length);
    });

    it('dumpSync answers on the calling thread what dump answers from the pool', async () => {
      const a = addon as NonNullable<typeof addon>;
      expect(typeof a.dumpSync).toBe('function');
      const LISTEN = 1 << 10;
      const UNCONN = 1 << 7;
      const key = (r: NetlinkSocket) => `${r.cookie} ${procFields(r, true)}`;
      const viaPool1 = new Set(decodeDump(await a.dump(LISTEN, UNCONN, false)).map(key));
      const big = Buffer.alloc(4 << 20);
      const sync = a.dumpSync?.(LISTEN, UNCONN, false, false, big) as NonNullable<
        ReturnType<NonNullable<typeof a.dumpSync>>
      >;
      expect(sync.records).toBe(big);
      const viaSync = new Set(decodeDump({ ...sync, records: big.subarray(0, sync.size) }).map(key));
      const viaPool2 = new Set(decodeDump(await a.dump(LISTEN, UNCONN, false)).map(key));
      const stable = [...viaPool1].filter((k) => viaPool2.has(k));
      expect(stable.length).toBeGreaterThanOrEqual(3001); // the load's listeners and UDP binds
      expect(stable.filter((k) => !viaSync.has(k))).toEqual([]);
      expect([...viaSync].filter((k) => !viaPool1.has(k) && !viaPool2.has(k))).toEqual([]);
    });

    it('a scope whose last answer was small is dumped on the calling thread; a big one in the pool', async () => {
      const a = addon as NonNullable<typeof addon>;
      const calls: string[] = [];
      const counting = {
        ...a,
        dump: (...args: Parameters<typeof a.dump>) => {
          calls.push('pool');
          return a.dump(...args);
        },
        dumpSync: (...args: Parameters<NonNullable<typeof a.dumpSync>>) => {
          calls.push('sync');
          return (a.dumpSync as NonNullable<typeof a.dumpSync>)(...args);
        },
      };
      const src = NetlinkSource.create(counting) as NetlinkSource;
      await src.collect({ scope: 'listening', signal }); // size unknown yet: the pool
      await src.collect({ scope: 'listening', signal }); // ~3,000 sockets: this thread
      await src.collect({ scope: 'all', signal }); // size unknown yet: the pool
      await src.collect({ scope: 'all', signal }); // the load alone is 5,001 sockets: the pool again
      expect(calls).toEqual(['pool', 'sync', 'pool', 'pool']);
    });

    it('one TCP dump of both families gives the very sockets the two per-family dumps give', async () => {
      const a = addon as NonNullable<typeof addon>;
      // An IPv6 listener and connection beside the load's IPv4 ones, where this machine has IPv6.
      const v6 = await listenV6();
      try {
        const key = (r: NetlinkSocket) => `${r.cookie} ${procFields(r, true)}`;
        const read = async (perFamily: boolean) =>
          new Set(decodeDump(await a.dump(ALL, ALL, false, perFamily)).map(key));
        const perFamily1 = await read(true);
        const both = await read(false);
        const perFamily2 = await read(true);
        // Sockets other programs open or close meanwhile are in one read only: compare the stable ones.
        const stable = [...perFamily1].filter((k) => perFamily2.has(k));
        expect(stable.length).toBeGreaterThanOrEqual(4000);
        expect(stable.filter((k) => !both.has(k))).toEqual([]);
        expect([...both].filter((k) => !perFamily1.has(k) && !perFamily2.has(k))).toEqual([]);
        if (v6) {
          const mine = [...both].filter((k) => k.includes(`${v6.port}`) && k.includes('"::1"'));
          expect(mine.length).toBeGreaterThanOrEqual(3); // listener, client, accepted end
        }
      } finally {
        v6?.close();
      }
    });

    it('Listening scope: the kernel returns only TCP LISTEN and unconnected UDP, all of them', async () => {
      const listening = await nl.collect({ scope: 'listening', signal });
      const all = await nl.collect({ scope: 'all', signal });
      const states = new Set(listening.map((r) => `${r.protocol}:${r.state}`));
      expect([...states].sort()).toEqual(['tcp:LISTEN', 'udp:UNCONN']);
      expect(listening.some((r) => r.remotePort !== null)).toBe(false);
      // Every load listener is there (2,001 TCP, 1,000 UDP), the 2,000 connections are not.
      const mine = new Set(all.filter((r) => r.state === 'ESTABLISHED').map((r) => r.inode));
      expect(listening.filter((r) => mine.has(r.inode))).toEqual([]);
      expect(listening.filter((r) => r.protocol === 'tcp').length).toBeGreaterThanOrEqual(2001);
      expect(listening.filter((r) => r.protocol === 'udp').length).toBeGreaterThanOrEqual(1000);
    });

    it('tcpInfo: established TCP sockets carry rtt and byte counts in the All scope; others carry none', async () => {
      const withInfo = NetlinkSource.create(addon) as NetlinkSource;
      const rows = await withInfo.collect({ scope: 'all', signal });
      const estab = rows.filter((r) => r.protocol === 'tcp' && r.state === 'ESTABLISHED');
      expect(estab.length).toBeGreaterThanOrEqual(2000);
      expect(estab.every((r) => r.tcp !== undefined && r.tcp.rttUs > 0)).toBe(true);
      expect(rows.filter((r) => r.protocol === 'udp').every((r) => r.tcp === undefined)).toBe(true);
      const off = NetlinkSource.create(addon, { tcpInfo: false }) as NetlinkSource;
      expect((await off.collect({ scope: 'all', signal })).every((r) => r.tcp === undefined)).toBe(true);
      // The Listening scope never asks the kernel for tcp_info.
      expect((await withInfo.collect({ scope: 'listening', signal })).every((r) => r.tcp === undefined)).toBe(
        true,
      );
    });

    it('every socket has a distinct cookie, and the uid of this process', async () => {
      const rows = await nl.collect({ scope: 'all', signal });
      const withFd = rows.filter((r) => r.inode !== 0);
      expect(new Set(withFd.map((r) => r.cookie)).size).toBe(withFd.length);
      const uid = process.getuid?.() ?? 0;
      const listeners = rows.filter((r) => r.state === 'LISTEN' && r.localAddress === '127.0.0.1');
      expect(listeners.filter((r) => r.uid === uid).length).toBeGreaterThanOrEqual(2001);
    });
  },
);

/** `ss -tuanpeH` lines by inode: protocol, state, the local address label, port, cookie, v6only. */
function parseSsExtended(text: string): Map<number, Record<string, unknown>> {
  const out = new Map<number, Record<string, unknown>>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    const ino = /\bino:(\d+)/.exec(line);
    if (f.length < 6 || !ino) continue;
    const local = f[4] as string;
    const colon = local.lastIndexOf(':');
    const v6 = /\bv6only:(\d)/.exec(line);
    out.set(Number(ino[1]), {
      protocol: f[0],
      state: f[1] === 'UNCONN' ? 'UNCONN' : f[1] === 'LISTEN' ? 'LISTEN' : f[1],
      local: local.slice(0, colon).replace(/^\[(.*)\]/, '$1'),
      port: Number(local.slice(colon + 1)),
      cookie: BigInt(`0x${/\bsk:([0-9a-f]+)/.exec(line)?.[1] ?? '0'}`).toString(),
      v6only: v6 ? v6[1] === '1' : null,
    });
  }
  return out;
}

function unshareWorks(): string | null {
  if (skipReason) return skipReason;
  const r = spawnSync('unshare', ['-n', '--', 'true'], { stdio: 'ignore' });
  if (r.error || r.status !== 0) return 'unshare -n is refused here (needs root or user namespaces)';
  const py = spawnSync('python3', ['-c', 'pass'], { stdio: 'ignore' });
  return py.status === 0 ? null : 'python3 is not installed';
}
const netnsSkip = unshareWorks();

describe.skipIf(netnsSkip !== null)(
  `device, zone and v6only against ss -tuanpeH ${netnsSkip ? `(skipped: ${netnsSkip})` : ''}`,
  () => {
    it('per-device UDP binds, a v6only and a dual-stack :: listener, fe80::1%d0: as ss shows them', () => {
      const child = join(import.meta.dirname, 'testing', 'netns-child.ts');
      const stdout = execFileSync('unshare', ['-n', '--', process.execPath, '--import', 'tsx', child], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      const got = JSON.parse(stdout.trim().split('\n').pop() as string) as {
        all: NetlinkSocket[];
        listening: NetlinkSocket[];
        ss: string;
        error?: string;
      };
      expect(got.error).toBeUndefined();
      const ss = parseSsExtended(got.ss);
      const ours = got.all.map((r) => ({
        protocol: r.protocol,
        state: r.state,
        local: localAddressLabel(r),
        port: r.localPort,
        cookie: r.cookie,
        v6only: r.family === 6 ? r.v6only : null,
      }));
      expect(new Map(got.all.map((r, i) => [r.inode, ours[i]]))).toEqual(ss);
      // The cases themselves, so a source that drops device or zone cannot pass by agreeing on nothing.
      expect(ours.map((r) => `${r.protocol} ${r.local}:${r.port} ${r.v6only}`).sort()).toEqual([
        'tcp *:5303 false',
        'tcp 127.0.0.1%lo:5305 null',
        'tcp :::5302 true',
        'udp 0.0.0.0%d0:5301 null',
        'udp 0.0.0.0%lo:5301 null',
        'udp fe80::1%d0:5304 true',
      ]);
      const ll = got.all.find((r) => r.localPort === 5304);
      expect(ll).toMatchObject({ zone: 'd0', device: 'd0' });
      expect(got.listening).toHaveLength(6);
    });
  },
);

describe('loader', () => {
  it('returns null, without throwing, for a missing file or one that is not an addon', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portscope-nl-'));
    try {
      const bogus = join(dir, 'sock_diag.node');
      writeFileSync(bogus, 'not a shared object');
      expect(loadSockDiag([join(dir, 'missing', 'sock_diag.node')])).toBeNull();
      expect(loadSockDiag([bogus])).toBeNull();
      expect(NetlinkSource.create(null)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('default sources on Linux', () => {
  it.skipIf(process.platform !== 'linux')(
    'netlink when the addon loads and the kernel answers, else /proc/net; the engine names it',
    () => {
      const names = defaultSources().map((s) => s.name);
      expect(names).toEqual([source ? 'netlink' : 'proc-net']);
      expect(defaultSources('linux', '/proc', { netlink: false }).map((s) => s.name)).toEqual(['proc-net']);
      expect(createEngine({ sources: defaultSources() }).sourceName?.()).toBe(names[0]);
      // …and the status every client sees says so.
      expect(new Monitor({ engine: createEngine() }).status().source).toBe(names[0]);
    },
  );
});

/** Linux 6.7 started reporting TCP sockets that are bound but neither listening nor connected. */
function kernelReportsBoundInactive(): boolean {
  const [major = 0, minor = 0] = release().split('.').map(Number);
  return major > 6 || (major === 6 && minor >= 7);
}
const boundSkip =
  skipReason ??
  (!kernelReportsBoundInactive()
    ? `kernel ${release()} does not report bound, inactive TCP sockets (Linux 6.7+)`
    : !findOnPath('python3')
      ? 'python3 is not installed (it binds a TCP socket without listening)'
      : null);

describe.skipIf(boundSkip !== null)(
  `a TCP socket bound to a port but not listening ${boundSkip ? `(skipped: ${boundSkip})` : ''}`,
  () => {
    it('is BOUND in the All scope, with its holder and no peer, and absent from the Listening scope', async () => {
      const script = [
        'import socket, time',
        's = socket.socket()',
        's.bind(("127.0.0.1", 0))',
        'print(s.getsockname()[1], flush=True)',
        'time.sleep(60)',
      ].join('\n');
      const child = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        const port = Number(
          await new Promise<string>((resolve) =>
            child.stdout?.once('data', (d) => resolve(String(d).trim())),
          ),
        );
        expect(port).toBeGreaterThan(0);
        const engine = createEngine({ sources: [NetlinkSource.create(addon) as NetlinkSource] });
        const all = await engine.collect('all');
        const mine = all.rows.filter((r) => r.protocol === 'tcp' && r.localPort === port);
        expect(mine.map((r) => [r.state, r.localAddress, r.remoteAddress, r.pid])).toEqual([
          ['BOUND', '127.0.0.1', null, child.pid],
        ]);
        const listening = await engine.collect('listening');
        expect(listening.rows.some((r) => r.protocol === 'tcp' && r.localPort === port)).toBe(false);
      } finally {
        child.kill('SIGKILL');
      }
    });
  },
);
