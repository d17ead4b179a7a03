import { describe, expect, it } from 'vitest';
import type { SocketRow } from '../../../shared/model';
import { testRow } from '../../../shared/testing/rows';
import { createRowMirror } from './row-mirror';

const row = (key: string, state: SocketRow['state'], port = 3000): SocketRow =>
  testRow(port, { key, state, pid: 1, process: null });

describe('createRowMirror', () => {
  it('keeps only listening rows and reports when they change', () => {
    const m = createRowMirror();
    m.reset([row('a', 'LISTEN'), row('b', 'ESTABLISHED')]);
    expect(m.rows().map((r) => r.key)).toEqual(['a']);
    const quiet = { seq: 2, takenAt: 0, added: [row('c', 'ESTABLISHED')], removed: ['b'], changed: [] };
    expect(m.apply(quiet)).toBe(false);
    expect(m.apply({ seq: 3, takenAt: 0, added: [row('d', 'LISTEN', 8080)], removed: [], changed: [] })).toBe(
      true,
    );
    expect(m.apply({ seq: 4, takenAt: 0, added: [], removed: ['a'], changed: [] })).toBe(true);
    expect(m.rows().map((r) => r.key)).toEqual(['d']);
    // A listener that turned into something else leaves the tray.
    expect(m.apply({ seq: 5, takenAt: 0, added: [], removed: [], changed: [row('d', 'CLOSE')] })).toBe(true);
    expect(m.rows()).toEqual([]);
  });
});
