import { describe, expect, it } from 'vitest';
import type { ProcessInfo, SocketRow } from '../../../shared/model';
import { testRow } from '../../../shared/testing/rows';
import { diffRows } from './diff';

const base = testRow(3000, { name: 'node', service: 'hbci' });
const row = (over: Partial<ProcessInfo> = {}): SocketRow => ({
  ...base,
  process: { ...(base.process as ProcessInfo), ...over },
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

  it('resends it when a holder comes or goes, or a kernel field changes', () => {
    const worker = { pid: 4242, process: { ...(base.process as ProcessInfo), ppid: base.pid } };
    expect(diff(row(), { ...row(), owners: [...row().owners, worker] }).changed).toHaveLength(1);
    expect(diff(row(), { ...row(), device: 'lo' }).changed).toHaveLength(1);
    expect(diff(row(), { ...row(), uid: 33, user: 'www-data' }).changed).toHaveLength(1);
    expect(diff(row(), { ...row(), v6only: true }).changed).toHaveLength(1);
    expect(diff(row(), { ...row(), inode: 99 }).changed).toHaveLength(1);
    expect(diff(row(), { ...row(), holder: 'hidden' }).changed).toHaveLength(1);
    expect(diff(row(), { ...row(), remoteAddress: '10.0.0.1', remotePort: 53 }).changed).toHaveLength(1);
  });

  it('resends it when a holder turns out to run as another real user', () => {
    const setuid = { ...(base.process as ProcessInfo), realUser: 'bob' };
    expect(
      diff(row(), { ...row(), owners: [{ pid: base.pid as number, process: setuid }] }).changed,
    ).toHaveLength(1);
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
