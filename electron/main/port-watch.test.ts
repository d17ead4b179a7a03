import { describe, expect, it } from 'vitest';
import type { SocketRow } from '../../shared/model';
import { changeMessage, portChanges, watchedListeners } from './port-watch';

const row = (port: number, name: string | null, over: Partial<SocketRow> = {}): SocketRow => ({
  key: `${port}|${name}|${over.state ?? 'LISTEN'}`,
  protocol: 'tcp',
  family: 4,
  localAddress: '0.0.0.0',
  localPort: port,
  remoteAddress: null,
  remotePort: null,
  state: 'LISTEN',
  pid: name ? 10 : null,
  process: name
    ? {
        name,
        command: name,
        path: '',
        user: '',
        startTime: 0,
        startId: '1',
        ppid: 1,
        cpu: null,
        memory: null,
      }
    : null,
  service: null,
  ...over,
});

describe('watched port notifications', () => {
  const watched = new Set([3000, 5432]);

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

  it('names UDP, and says nothing about an owner it cannot see', () => {
    const after = watchedListeners([row(3000, null, { protocol: 'udp', state: 'UNCONN' })], watched);
    expect(portChanges(new Map(), after).map(changeMessage)).toEqual(['Port 3000 (UDP) opened']);
  });

  it('cleans a hostile process name', () => {
    const msg = changeMessage({ kind: 'opened', protocol: 'tcp', port: 3000, owner: 'ev\u202eil\u0007' });
    expect(msg).toBe('Port 3000 opened by evil');
  });
});
