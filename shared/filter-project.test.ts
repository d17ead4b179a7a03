import { describe, expect, it } from 'vitest';
import { parseFilter } from './filter';
import type { ProcessInfo, SocketRow } from './model';
import { exposure, isLoopbackAddress } from './socket-rules';
import { completeRow, testRow } from './testing/rows';

const proc = (project: ProcessInfo['project']): ProcessInfo => ({
  name: 'node',
  command: 'node server.js',
  path: '/usr/bin/node',
  user: 'ann',
  startTime: 0,
  startId: '1',
  ppid: 1,
  cpu: null,
  memory: null,
  project,
});

describe('exposure', () => {
  const listener = (localAddress: string, over: Partial<SocketRow> = {}) =>
    completeRow({ ...testRow(80), localAddress, ...over });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.53.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['0.0.0.0', 'network'],
    ['::', 'network'],
    ['*', 'network'],
    ['192.168.1.20', 'network'],
    ['10.0.0.5', 'network'],
    ['fe80::1', 'network'],
    ['::ffff:10.0.0.1', 'network'],
    ['128.0.0.1', 'network'],
  ] as const)('a listener on %s is %s', (address, reach) => {
    expect(exposure(listener(address))).toBe(reach);
  });

  it('a wildcard bound to the loopback device is loopback only', () => {
    expect(exposure(listener('0.0.0.0', { device: 'lo' }))).toBe('loopback');
    expect(exposure(listener('0.0.0.0', { device: 'eth0' }))).toBe('network');
  });

  it('bound UDP sockets have a reach; connections have none', () => {
    expect(exposure(listener('0.0.0.0', { protocol: 'udp', state: 'UNCONN', remoteAddress: null }))).toBe(
      'network',
    );
    const conn = listener('10.0.0.2', { state: 'ESTABLISHED', remoteAddress: '10.0.0.3', remotePort: 5 });
    expect(exposure(conn)).toBeNull();
    expect(
      exposure(
        listener('127.0.0.1', {
          protocol: 'udp',
          state: 'ESTABLISHED',
          remoteAddress: '127.0.0.1',
          remotePort: 53,
        }),
      ),
    ).toBeNull();
  });

  it('only real loopback addresses count', () => {
    expect(['127.0.0.1.evil', '127.example.com', '::2', '1.127.0.0'].map(isLoopbackAddress)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('filter tokens project: and reach:', () => {
  const shop = testRow(5173, {
    process: proc({ name: '@acme/shop-web', dir: '/home/ann/src/shop', branch: 'main' }),
  });
  const api = testRow(8000, {
    localAddress: '0.0.0.0',
    process: proc({ name: 'api', dir: '/srv/api', branch: 'feature/x' }),
  });
  const none = testRow(22, { localAddress: '0.0.0.0', process: proc(null) });
  const rows = [shop, api, none].map((r) => ({ ...r, exposure: exposure(r) }));
  const pass = (text: string) => rows.filter(parseFilter(text).test).map((r) => r.localPort);

  it('project: matches the name, the folder or the branch', () => {
    expect(pass('project:shop-web')).toEqual([5173]);
    expect(pass('project:SHOP')).toEqual([5173]);
    expect(pass('project:feature/x')).toEqual([8000]);
    expect(pass('-project:api')).toEqual([5173, 22]);
    expect(pass('proj:api project:shop')).toEqual([5173, 8000]);
  });

  it('reach: separates loopback from network listeners', () => {
    expect(pass('reach:network')).toEqual([8000, 22]);
    expect(pass('reach:loopback')).toEqual([5173]);
    expect(pass('reach:net -port:22')).toEqual([8000]);
    // Rows without the field (an older host) are decided by the same rule.
    const bare = rows.map(({ exposure: _, ...r }) => r as SocketRow);
    expect(bare.filter(parseFilter('reach:local').test).map((r) => r.localPort)).toEqual([5173]);
  });

  it('a bad reach is an issue, not an empty table', () => {
    const f = parseFilter('reach:moon');
    expect(f.issues[0]?.message).toMatch(/reach:network/);
    expect(rows.filter(f.test)).toHaveLength(3);
  });
});
