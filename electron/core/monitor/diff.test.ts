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
