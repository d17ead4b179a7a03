import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../../shared/model';
import { InodeOwners } from '../processes/inode-owners';
import { ProcPidReader } from '../processes/proc-pid-info';
import { ProcessCache, type ProcessReader } from '../processes/process-cache';
import { mergeSockets, rowKey } from '../sources/merge';
import { ProcNetSource } from '../sources/proc-net/proc-net-source';
import type { RawSocket } from '../sources/types';
import { closeAll, openTcp, openUdp, portOf } from '../testing/sockets';
import { createEngine } from './engine';
import { lookupService } from './services';

const linux = process.platform === 'linux';
const signal = new AbortController().signal;

describe.runIf(linux)('inode → PID cache', () => {
  it('scans /proc only when a new socket appears, not on quiet polls', async () => {
    const owners = new InodeOwners();
    const engine = createEngine({ sources: [new ProcNetSource()], holders: owners });
    const a = await openTcp('127.0.0.1');
    try {
      await engine.collect('listening', signal);
      const after = owners.scans;
      // Quiet polls: same sockets, no rescan (other processes on this machine may add sockets,
      // so allow at most one, not one per poll).
      for (let i = 0; i < 5; i++) await engine.collect('listening', signal);
      expect(owners.scans - after).toBeLessThanOrEqual(1);
      // This process already holds a listed socket: its fd count moved, so it alone is re-read.
      const b = await openUdp('udp4', '127.0.0.1');
      const { rows } = await engine.collect('listening', signal);
      expect(rows.find((r) => r.localPort === portOf(b))?.pid).toBe(process.pid);
      await closeAll([b]);
    } finally {
      await closeAll([a]);
    }
  });
});

describe.runIf(linux)('process metadata from /proc', () => {
  it('keeps the CPU sample of known processes when only a new PID is read', async () => {
    const reader = new ProcPidReader();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      await reader.read([process.pid]);
      await reader.read([child.pid as number]);
      const samples = (reader as unknown as { samples: Map<number, unknown> }).samples;
      expect([...samples.keys()].sort()).toEqual([process.pid, child.pid].sort());
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('reads a child by PID with its command line, user and start identity, and forgets it once gone', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)', 'arg with space']);
    const pid = child.pid as number;
    try {
      const cache = new ProcessCache(new ProcPidReader());
      const info = (await cache.lookup([pid])).get(pid);
      expect(info?.name).toBe('node');
      expect(info?.command).toContain('arg with space');
      expect(info?.ppid).toBe(process.pid);
      expect(info?.startId).toMatch(/^\d+$/);
      expect(info?.user).not.toBe('');
      expect(info?.memory).toBeGreaterThan(0);
      // Start time is in the past and after this test process started (never an absolute time).
      expect(info?.startTime).toBeLessThanOrEqual(Date.now() + 1000);
      expect(info?.startTime).toBeGreaterThanOrEqual(Date.now() - process.uptime() * 1000 - 1000);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    const gone = await new ProcessCache(new ProcPidReader()).lookup([pid]);
    expect(gone.get(pid)).toBeNull();
  });
});

describe('process cache', () => {
  function reader() {
    const calls: number[][] = [];
    let startId = 'a';
    const r: ProcessReader = {
      read: async (pids) => {
        calls.push([...pids]);
        return new Map(pids.map((p) => [p, { name: `p${p}`, startId } as ProcessInfo]));
      },
    };
    return { r, calls, reuse: () => (startId = 'b') };
  }

  it('reads only unknown PIDs, refreshes all on the slow clock, and replaces a reused PID', async () => {
    let now = 0;
    const { r, calls, reuse } = reader();
    const cache = new ProcessCache(r, { refreshMs: 5000, now: () => now });
    await cache.lookup([1, 2]);
    now = 5000;
    await cache.lookup([1, 2]); // due: refresh everything once
    now = 6000;
    await cache.lookup([1, 2]);
    await cache.lookup([1, 2, 3]);
    expect(calls).toEqual([[1, 2], [1, 2], [3]]);
    reuse();
    now = 11_000;
    expect((await cache.lookup([1])).get(1)?.startId).toBe('b');
    expect(cache.get(2)).toBeNull(); // no longer owns a socket: forgotten
  });
});

describe('merge and keys', () => {
  const base: RawSocket = {
    protocol: 'tcp',
    family: 4,
    localAddress: '0.0.0.0',
    localPort: 80,
    remoteAddress: null,
    remotePort: null,
    state: 'LISTEN',
    pid: 10,
  };

  it('keeps two processes on one port (SO_REUSEPORT) and drops cross-source duplicates', () => {
    const merged = mergeSockets([
      [base, { ...base, pid: 11 }],
      [{ ...base }, { ...base, pid: null }, { ...base, protocol: 'udp', state: 'UNCONN' }],
    ]);
    expect([...merged.keys()].sort()).toEqual(
      ['tcp|0.0.0.0|80|||10', 'tcp|0.0.0.0|80|||11', 'udp|0.0.0.0|80|||10'].sort(),
    );
    expect(rowKey({ ...base, remoteAddress: '1.2.3.4', remotePort: 5 })).toBe('tcp|0.0.0.0|80|1.2.3.4|5|10');
  });

  it('keeps an ownerless row from the same source (another user sharing the port)', () => {
    const merged = mergeSockets([[base, { ...base, pid: null }]]);
    expect(merged.size).toBe(2);
  });

  it('keeps SO_REUSEPORT siblings of one process apart by inode, and one socket seen by cookie and inode once', () => {
    const a = { ...base, pid: null, inode: 101 };
    const b = { ...base, pid: null, inode: 102 };
    expect([...mergeSockets([[a, b]]).keys()]).toEqual(['tcp:i101', 'tcp:i102']);
    const merged = mergeSockets([[{ ...a, cookie: '7' }], [a, b]]);
    expect([...merged.keys()]).toEqual(['tcp:c7', 'tcp:i102']);
  });
});

describe('IANA service names', () => {
  it('looks up by port and protocol', () => {
    expect(lookupService(5432, 'tcp')).toBe('postgresql');
    expect(lookupService(53, 'udp')).toBe('dns');
    expect(lookupService(443, 'tcp')).toBe('https');
    expect(lookupService(0, 'tcp')).toBeNull();
    expect(lookupService(65535, 'udp')).toBeNull();
  });
});
