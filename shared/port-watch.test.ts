import { describe, expect, it } from 'vitest';
import type { SocketRow } from './model';
import { changeMessage, portChanges, watchedListeners, watchedPortEvents } from './port-watch';
import { testRow } from './testing/rows';

const row = (port: number, name: string | null, over: Partial<SocketRow> = {}): SocketRow =>
  testRow(port, {
    key: `${port}|${name}|${over.state ?? 'LISTEN'}`,
    localAddress: '0.0.0.0',
    pid: name ? 10 : null,
    ...(name ? { name } : { process: null }),
    ...over,
  });

describe('watched port notifications', () => {
  const watched = new Set([3000, 5432]);

  it('counts a bound UDP socket as listening whichever source reported it, like the table does', () => {
    // Linux reports UNCONN; the portable source gives no UDP state, only the missing peer.
    const linux = row(5432, 'dnsd', { protocol: 'udp', state: 'UNCONN' });
    const portable = row(3000, 'dnsd', { protocol: 'udp', state: 'UNKNOWN' });
    const connected = row(3000, 'dnsd', {
      protocol: 'udp',
      state: 'ESTABLISHED',
      remoteAddress: '1.1.1.1',
      remotePort: 53,
    });
    expect([...watchedListeners([linux, portable], watched).keys()].sort()).toEqual(['udp:3000', 'udp:5432']);
    expect(watchedListeners([connected], watched).size).toBe(0);
  });

  it('reports a watched port opening (with its owner) and closing', () => {
    const before = watchedListeners([row(3000, 'node')], watched);
    const after = watchedListeners([row(5432, 'postgres')], watched);
    expect(portChanges(before, after).map(changeMessage)).toEqual([
      'Port 3000 closed',
      'Port 5432 opened by postgres',
    ]);
  });

  it('never reports an unwatched port', () => {
    const before = watchedListeners([], watched);
    const after = watchedListeners([row(8080, 'nginx'), row(3001, 'node')], watched);
    expect(portChanges(before, after)).toEqual([]);
  });

  it('ignores connections on a watched port and IPv6 twins of a listener', () => {
    const before = watchedListeners([row(5432, 'postgres')], watched);
    const after = watchedListeners(
      [
        row(5432, 'postgres'),
        row(5432, 'postgres', { family: 6, localAddress: '::' }),
        row(5432, 'psql', { state: 'ESTABLISHED', remoteAddress: '127.0.0.1', remotePort: 40000 }),
      ],
      watched,
    );
    expect(portChanges(before, after)).toEqual([]);
  });

  it('names UDP, and a holder it cannot see in the shared wording', () => {
    const after = watchedListeners([row(3000, null, { protocol: 'udp', state: 'UNCONN' })], watched);
    expect(portChanges(new Map(), after).map(changeMessage)).toEqual([
      'Port 3000 (UDP) opened; holder not visible (another user’s process)',
    ]);
  });

  it('names every holder of a pre-fork port', () => {
    const parent = row(5432, 'postgres');
    const owners = [
      { pid: 1, process: parent.process },
      { pid: 2, process: parent.process },
    ];
    const after = watchedListeners([{ ...parent, owners }], watched);
    expect(portChanges(new Map(), after).map(changeMessage)).toEqual([
      'Port 5432 opened by postgres +1 worker',
    ]);
  });

  it('cleans a hostile process name', () => {
    const msg = changeMessage({ kind: 'opened', protocol: 'tcp', port: 3000, process: 'ev\u202eil\u0007' });
    expect(msg).toBe('Port 3000 opened by evil');
  });
});

describe('watchedPortEvents', () => {
  const delta = (d: Partial<{ added: SocketRow[]; changed: SocketRow[]; removed: string[] }>) => ({
    added: [],
    changed: [],
    removed: [],
    ...d,
  });

  it('reports a watched port a delta opens, with its owner, and one it closes', () => {
    const pg = row(5432, 'postgres');
    const node = row(3000, 'node');
    expect(watchedPortEvents([node], delta({ added: [pg], removed: [node.key] }), [3000, 5432])).toEqual([
      { kind: 'closed', protocol: 'tcp', port: 3000, process: null },
      { kind: 'opened', protocol: 'tcp', port: 5432, process: 'postgres' },
    ]);
  });

  it('is silent for unwatched ports, an empty list, and rows already there', () => {
    const web = row(8080, 'nginx');
    expect(watchedPortEvents([], delta({ added: [web] }), [3000])).toEqual([]);
    expect(watchedPortEvents([], delta({ added: [web] }), [])).toEqual([]);
    const pg = row(5432, 'postgres');
    expect(watchedPortEvents([pg], delta({ changed: [pg] }), [5432])).toEqual([]);
  });

  it('a port stays open while a twin still listens (IPv6 closes, IPv4 remains)', () => {
    const v4 = row(5432, 'postgres');
    const v6 = row(5432, 'postgres', { key: 'v6', family: 6, localAddress: '::' });
    expect(watchedPortEvents([v4, v6], delta({ removed: ['v6'] }), [5432])).toEqual([]);
    expect(watchedPortEvents([v4, v6], delta({ removed: ['v6', v4.key] }), [5432])).toEqual([
      { kind: 'closed', protocol: 'tcp', port: 5432, process: null },
    ]);
  });

  it('a changed row that stops listening closes the port; removing an unknown key does nothing', () => {
    const l = row(3000, 'node');
    const closing = { ...l, state: 'CLOSE' as const };
    expect(watchedPortEvents([l], delta({ changed: [closing] }), [3000])).toEqual([
      { kind: 'closed', protocol: 'tcp', port: 3000, process: null },
    ]);
    expect(watchedPortEvents([l], delta({ removed: ['nope'] }), [3000])).toEqual([]);
  });
});
