import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeState } from './net-names';
import { decodeProcAddress, parseProcNet } from './proc-net/proc-net-parse';
import { parseSiConnections, type SiConnection } from './si/si-parse';
import { parseSs, parseSsUsers, splitHostPort } from './si/ss-parse';

/**
 * Golden-file tests: the inputs in fixtures/ are real output captured on this machine by
 * fixtures/capture.mjs (processes named "my app" and 'we"ird,(x)', IPv6 with a scope id, an
 * IPv4-mapped connection). UPDATE_GOLDEN=1 rewrites the *.expected.json files, to review by hand.
 */
const dir = join(import.meta.dirname, 'fixtures');
const read = (name: string) => readFileSync(join(dir, name), 'utf8');

function golden(name: string, actual: unknown): void {
  const file = join(dir, `${name}.expected.json`);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  }
  expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

describe('/proc/net parser', () => {
  it.each([
    ['tcp', 'tcp', 4],
    ['tcp6', 'tcp', 6],
    ['udp', 'udp', 4],
    ['udp6', 'udp', 6],
  ] as const)('parses real /proc/net/%s output (golden)', (file, protocol, family) => {
    // The captures come from a little-endian machine: decode them as such wherever the test runs.
    golden(`proc-net-${file}`, parseProcNet(read(`proc-net-${file}.txt`), protocol, family, 'all', true));
  });

  it('decodes loopback, wildcard, link-local and IPv4-mapped addresses', () => {
    const rows = parseProcNet(read('proc-net-tcp6.txt'), 'tcp', 6, 'all', true);
    expect(rows.map((r) => r.localAddress)).toEqual(['::1', '::', 'fe80::fc:ff:fe00:1', '::ffff:127.0.0.1']);
    const mapped = rows[3];
    expect(mapped).toMatchObject({
      localPort: 47003,
      remoteAddress: '::ffff:127.0.0.1',
      state: 'ESTABLISHED',
    });
    expect(decodeProcAddress('0100007F', true)).toBe('127.0.0.1');
    expect(decodeProcAddress('7F000001', false)).toBe('127.0.0.1');
    expect(decodeProcAddress('B80D0120000000000000000001000000', true)).toBe('2001:db8::1');
  });

  it("keeps only LISTEN TCP and unconnected UDP for scope 'listening'", () => {
    const tcp = parseProcNet(read('proc-net-tcp.txt'), 'tcp', 4, 'listening', true);
    expect(tcp.length).toBeGreaterThan(0);
    expect(tcp.every((r) => r.state === 'LISTEN' && r.remoteAddress === null)).toBe(true);
    const all = parseProcNet(read('proc-net-tcp.txt'), 'tcp', 4, 'all', true);
    expect(all.some((r) => r.state === 'ESTABLISHED')).toBe(true);
    expect(all.some((r) => r.state === 'TIME_WAIT' && r.inode === 0)).toBe(true);
    const udp = parseProcNet(read('proc-net-udp.txt'), 'udp', 4, 'listening', true);
    expect(udp.map((r) => [r.localPort, r.state])).toEqual(
      expect.arrayContaining([
        [47004, 'UNCONN'],
        [47008, 'UNCONN'],
      ]),
    );
  });

  it('skips malformed lines instead of inventing rows', () => {
    const text = `header\n   0: 0100007F:ZZZZ 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5 1\n   1: garbage\n`;
    expect(parseProcNet(text, 'tcp', 4, 'all', true)).toEqual([]);
  });
});

describe('ss parser', () => {
  it('parses real `ss -tuanp` output (golden)', () => golden('ss-tuanp', parseSs(read('ss-tuanp.txt'))));
  it('parses real `ss -uanp` output (golden)', () => golden('ss-uanp', parseSs(read('ss-uanp.txt'), 'udp')));

  it('keeps names with spaces, quotes and parentheses, and IPv6 scope ids', () => {
    const rows = parseSs(read('ss-tuanp.txt'));
    const app = rows.find((r) => r.localPort === 47001 && r.state === 'LISTEN');
    expect(app?.processName).toBe('my app');
    const scoped = rows.find((r) => r.localPort === 47007);
    expect(scoped).toMatchObject({
      localAddress: 'fe80::fc:ff:fe00:1%eth0',
      family: 6,
      processName: 'we"ird,(x',
    });
    const dual = rows.find((r) => r.localPort === 47003 && r.state === 'LISTEN');
    expect(dual).toMatchObject({ localAddress: '::', family: 6, remoteAddress: null });
    const noOwner = rows.find((r) => r.localPort === 2024);
    expect(noOwner?.pid).toBeNull();
  });

  it('splits host and port the way ss prints them', () => {
    expect(splitHostPort('[fe80::1]%eth0:546')).toEqual({ address: '[fe80::1]%eth0', port: 546 });
    expect(splitHostPort('fe80::1%eth0:546')).toEqual({ address: 'fe80::1%eth0', port: 546 });
    expect(splitHostPort('0.0.0.0:*')).toEqual({ address: '0.0.0.0', port: null });
    expect(splitHostPort('1.2.3.4:0x50')).toBeNull();
    expect(parseSsUsers('users:(("a, b",pid=12,fd=3),("c",pid=13,fd=4))')).toEqual({ pid: 12, name: 'a, b' });
    expect(parseSsUsers('users:(("x",pid=-1,fd=3))')).toBeNull();
  });
});

describe('systeminformation parser', () => {
  const list = JSON.parse(read('si-network-connections.json')) as SiConnection[];

  it('maps real si.networkConnections() output (golden)', () =>
    golden('si-network-connections', parseSiConnections(list)));

  it('shows what si gets wrong here, which is why Linux uses /proc/net', () => {
    const rows = parseSiConnections(list);
    // Gap 1: no bound, unconnected UDP socket at all (ss lists four in the same capture).
    expect(rows.filter((r) => r.protocol === 'udp')).toEqual([]);
    expect(parseSs(read('ss-uanp.txt'), 'udp')).toHaveLength(4);
    // Gap 2: a process name with a space is cut at the space.
    expect(rows.find((r) => r.localPort === 47001 && r.state === 'LISTEN')?.processName).toBe('my');
    // Gap 3: netstat's fixed-width column truncates long IPv6 addresses (fe80::fc:ff:fe00:1).
    expect(rows.find((r) => r.localPort === 47007)?.localAddress).not.toBe('fe80::fc:ff:fe00:1');
  });
});

describe('state names', () => {
  it('normalises netstat, ss and odd spellings', () => {
    expect(normalizeState('ESTAB')).toBe('ESTABLISHED');
    expect(normalizeState('TIME-WAIT')).toBe('TIME_WAIT');
    expect(normalizeState('fin_wait_1')).toBe('FIN_WAIT1');
    expect(normalizeState('LISTENING')).toBe('LISTEN');
    expect(normalizeState('bogus')).toBe('UNKNOWN');
  });
});
