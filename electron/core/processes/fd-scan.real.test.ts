import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupChildren } from '../testing/kill-children';
import { type PreFork, spawnPreFork } from '../testing/pre-fork';
import { socketsOf } from '../testing/sockets';
import { holdersFromPairs, loadFdScan, PAIR_WORDS } from './fd-scan-addon';
import { scanSocketHolders } from './socket-holders-scan';

/**
 * The C walk of /proc (native/fd_scan.c) against the JS one it replaces, on real processes: a
 * python pre-fork server whose listener is held by the master and by two forked workers.
 */
const addon = loadFdScan();
const why =
  process.platform !== 'linux'
    ? 'not Linux'
    : addon
      ? ''
      : 'out/native/fd_scan.node is not built here (npm run build:native)';

describe.skipIf(why !== '')(`native fd scan${why ? ` (skipped: ${why})` : ''}`, () => {
  let server: PreFork;
  let ours: number[];
  let inodes: Set<number>;
  beforeAll(async () => {
    server = await spawnPreFork();
    ours = [server.pid, ...server.workers];
    inodes = new Set(ours.flatMap((pid) => [...socketsOf(pid)]));
  });
  afterAll(() => cleanupChildren());

  it('finds every holder of a listener shared by a master and its forked workers', () => {
    expect(inodes.size).toBeGreaterThan(0);
    const native = scanSocketHolders(inodes, '/proc', addon);
    const js = scanSocketHolders(inodes, '/proc', null);
    for (const inode of inodes) {
      const c = [...(native.holders.get(inode) ?? [])].sort((a, b) => a - b);
      expect(c).toEqual([...(js.holders.get(inode) ?? [])].sort((a, b) => a - b));
    }
    const shared = [...inodes].filter((i) => ours.every((pid) => native.holders.get(i)?.includes(pid)));
    expect(shared.length).toBeGreaterThanOrEqual(1);
  });

  it.each(['scan', 'scanAsync'] as const)(
    '%s gives the same (inode, PID) pairs as the JS walk for processes that sit still',
    async (how) => {
      const r = how === 'scan' ? addon?.scan('/proc') : await addon?.scanAsync?.('/proc');
      if (!r) throw new Error('no addon');
      expect(r.pairs.length % (PAIR_WORDS * 4)).toBe(0);
      const words = new Uint32Array(r.pairs.buffer, r.pairs.byteOffset, r.pairs.length / 4);
      const fromC = new Set<string>();
      for (let i = 0; i < words.length; i += PAIR_WORDS) {
        const pid = words[i + 2] as number;
        if (ours.includes(pid))
          fromC.add(`${(words[i] as number) + (words[i + 1] as number) * 2 ** 32}:${pid}`);
      }
      const fromJs = new Set<string>();
      for (const pid of ours) for (const inode of socketsOf(pid)) fromJs.add(`${inode}:${pid}`);
      expect(fromC).toEqual(fromJs);
      // It read the tables it reports: at least ours, and every fd counted once.
      expect(r.processes).toBeGreaterThanOrEqual(ours.length);
      expect(r.fds).toBeGreaterThanOrEqual(fromJs.size);
    },
  );

  it('keeps one PID per socket however many fds of it a process holds; wide inodes survive', () => {
    const pairs = Buffer.alloc(4 * PAIR_WORDS * 4);
    const w = new Uint32Array(pairs.buffer, pairs.byteOffset, pairs.length / 4);
    // inode 7 twice in PID 10 (dup), once in PID 11; an inode past 2^32 in PID 12.
    w.set([7, 0, 10, 7, 0, 10, 7, 0, 11, 5, 1, 12]);
    const held = holdersFromPairs(pairs, new Set([7, 2 ** 32 + 5]));
    expect(held.get(7)).toEqual([10, 11]);
    expect(held.get(2 ** 32 + 5)).toEqual([12]);
  });

  it('fails loudly when the /proc root cannot be listed, as the JS walk does', () => {
    expect(() => addon?.scan('/nonexistent-proc')).toThrow();
    expect(() => scanSocketHolders(new Set([1]), '/nonexistent-proc', null)).toThrow();
  });
});
