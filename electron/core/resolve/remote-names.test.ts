import { afterEach, describe, expect, it, vi } from 'vitest';
import { addressKind } from '../../../shared/address-kind';
import { getNameInfo, RemoteNames } from './remote-names';

/**
 * The resolver's cache, bounds and switch. DNS is the one thing this machine cannot provide (no
 * resolver for the internet), so those tests inject the lookup; getnameinfo itself is tested real
 * against /etc/hosts, and the engine test (remote-names.real.test.ts) uses real sockets.
 */

afterEach(() => vi.useRealTimers());

/** A lookup whose answers the test releases by hand. */
function manualLookup() {
  const calls: string[] = [];
  const waiting = new Map<string, (name: string | null) => void>();
  return {
    calls,
    lookup: (a: string) => {
      calls.push(a);
      return new Promise<string | null>((r) => waiting.set(a, r));
    },
    answer(a: string, name: string | null) {
      waiting.get(a)?.(name);
      waiting.delete(a);
    },
  };
}

describe('addressKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private network'],
    ['172.16.0.1', 'private network'],
    ['172.31.255.255', 'private network'],
    ['192.168.0.10', 'private network'],
    ['100.64.0.1', 'private network'],
    ['100.127.255.1', 'private network'],
    ['::ffff:192.168.1.1', 'private network'],
    ['fd12:3456::1', 'private network'],
    ['fc00::1', 'private network'],
    ['fe80::1%eth0', 'link-local'],
    ['169.254.169.254', 'link-local'],
    ['172.32.0.1', null],
    ['100.128.0.1', null],
    ['8.8.8.8', null],
    ['2001:db8::1', null],
    ['fec0::1', null],
    ['::', null],
    ['not-an-ip', null],
    ['10.1.2.300', null],
  ] as const)('%s → %s', (address, kind) => {
    expect(addressKind(address)).toBe(kind);
  });
});

describe('RemoteNames', () => {
  it('answers at once from what it knows and queues the lookup; the name comes on a later call', async () => {
    const m = manualLookup();
    const names = new RemoteNames({ lookup: m.lookup });
    expect(names.name('203.0.113.7')).toBeNull();
    expect(names.name('203.0.113.7')).toBeNull();
    expect(m.calls).toEqual(['203.0.113.7']);
    m.answer('203.0.113.7', 'web.example.net');
    await names.idle();
    expect(names.name('203.0.113.7')).toBe('web.example.net');
    expect(m.calls).toHaveLength(1);
  });

  it('labels loopback and private ranges without any lookup, and names no wildcard', () => {
    const m = manualLookup();
    const names = new RemoteNames({ lookup: m.lookup });
    expect(['127.0.0.1', '10.0.0.8', 'fe80::2', '*', '0.0.0.0', null].map((a) => names.name(a))).toEqual([
      'loopback',
      'private network',
      'link-local',
      null,
      null,
      null,
    ]);
    expect(m.calls).toEqual([]);
  });

  it('caches failures for the negative TTL and names for the positive one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const m = manualLookup();
    const names = new RemoteNames({ lookup: m.lookup, ttlMs: 60_000, negativeTtlMs: 10_000 });
    names.name('198.51.100.1');
    names.name('198.51.100.2');
    m.answer('198.51.100.1', null);
    m.answer('198.51.100.2', 'b.example');
    await names.idle();
    vi.advanceTimersByTime(9_000);
    names.name('198.51.100.1');
    names.name('198.51.100.2');
    expect(m.calls).toHaveLength(2);
    vi.advanceTimersByTime(2_000);
    names.name('198.51.100.1');
    expect(names.name('198.51.100.2')).toBe('b.example');
    expect(m.calls).toEqual(['198.51.100.1', '198.51.100.2', '198.51.100.1']);
    vi.advanceTimersByTime(60_000);
    // A stale name stays on screen while the new lookup runs.
    expect(names.name('198.51.100.2')).toBe('b.example');
    expect(m.calls).toHaveLength(4);
  });

  it('runs at most `concurrency` lookups and drops what overflows the queue', async () => {
    const m = manualLookup();
    const names = new RemoteNames({ lookup: m.lookup, concurrency: 2, maxQueue: 3 });
    for (let i = 1; i <= 10; i++) names.name(`203.0.113.${i}`);
    expect(m.calls).toEqual(['203.0.113.1', '203.0.113.2']);
    m.answer('203.0.113.1', null);
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(m.calls).toEqual(['203.0.113.1', '203.0.113.2', '203.0.113.3']);
    for (const a of [...m.calls]) m.answer(a, null);
    await new Promise((r) => setImmediate(r));
    for (const a of [...m.calls]) m.answer(a, null);
    await names.idle();
    // 2 started at once + 3 queued; the other 5 wait for a later poll to ask again.
    expect(m.calls).toHaveLength(5);
  });

  it('gives up on a lookup after its time-out (a hung resolver) and caches that as no name', async () => {
    vi.useFakeTimers();
    const names = new RemoteNames({ lookup: () => new Promise(() => {}), timeoutMs: 3000 });
    names.name('192.0.2.9');
    const idle = names.idle();
    await vi.advanceTimersByTimeAsync(3000);
    await idle;
    expect(names.lookups).toBe(1);
    names.name('192.0.2.9');
    expect(names.lookups).toBe(1);
  });

  it('asks nothing while switched off', () => {
    const m = manualLookup();
    let on = false;
    const names = new RemoteNames({ lookup: m.lookup, enabled: () => on });
    expect(names.name('203.0.113.5')).toBeNull();
    expect(names.name('10.0.0.1')).toBe('private network');
    expect(m.calls).toEqual([]);
    on = true;
    names.name('203.0.113.5');
    expect(m.calls).toEqual(['203.0.113.5']);
  });

  it('cleans a hostile PTR answer', async () => {
    const m = manualLookup();
    const names = new RemoteNames({ lookup: m.lookup });
    names.name('203.0.113.66');
    m.answer('203.0.113.66', 'evil\u001b[2J\u202e.example');
    await names.idle();
    expect(names.name('203.0.113.66')).toBe('evil[2J.example');
  });
});

describe('getNameInfo (real getnameinfo)', () => {
  it('names 127.0.0.1 from /etc/hosts', async () => {
    expect(await getNameInfo('127.0.0.1')).toBe('localhost');
  });
});
