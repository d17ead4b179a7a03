import { describe, expect, it } from 'vitest';
import type { SocketRow } from '../../shared/model';
import { diffRows } from './diff';

const row = (over: Partial<SocketRow['process']> = {}): SocketRow => ({
  key: 'tcp|127.0.0.1|3000|||42',
  protocol: 'tcp',
  family: 4,
  localAddress: '127.0.0.1',
  localPort: 3000,
  remoteAddress: null,
  remotePort: null,
  state: 'LISTEN',
  pid: 42,
  service: 'hbci',
  process: {
    name: 'node',
    command: 'node server.js',
    path: '/usr/bin/node',
    user: 'alice',
    startTime: 1,
    startId: '99',
    ppid: 1,
    cpu: 1,
    memory: 1000,
    ...over,
  },
});

const diff = (a: SocketRow, b: SocketRow) => diffRows(new Map([[a.key, a]]), new Map([[b.key, b]]));

describe('diffRows', () => {
  it('does not resend a socket because its process used more CPU or memory', () => {
    expect(diff(row(), row({ cpu: 57, memory: 9_000_000 })).changed).toEqual([]);
  });

  it('resends it when anything the table shows changes', () => {
    expect(diff(row(), row({ command: 'node other.js' })).changed).toHaveLength(1);
    expect(diff(row(), row({ user: 'bob' })).changed).toHaveLength(1);
    expect(diff(row(), { ...row(), state: 'CLOSE_WAIT' }).changed).toHaveLength(1);
  });

  it('reports added and removed keys', () => {
    const a = row();
    const b = { ...row(), key: 'other' };
    expect(diffRows(new Map([[a.key, a]]), new Map([[b.key, b]]))).toEqual({
      added: [b],
      removed: [a.key],
      changed: [],
    });
  });
});
