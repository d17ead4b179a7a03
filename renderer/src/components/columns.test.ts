import { describe, expect, it } from 'vitest';
import type { ViewRow } from '../../../shared/view';
import { COLUMNS, mayOverflow, safeChars } from './columns';

const col = (id: string) => COLUMNS.find((c) => c.id === id) as (typeof COLUMNS)[number];

describe('cell clipping', () => {
  it('clips only text that could outgrow its column at the column’s narrowest', () => {
    // Local address: 110 px minimum, monospace.
    expect(mayOverflow(col('local'), '127.0.0.1')).toBe(false);
    expect(mayOverflow(col('local'), '::ffff:127.0.0.1')).toBe(true);
    // Process: 140 px minimum, proportional text measured as if every glyph were a 'W'.
    expect(mayOverflow(col('process'), 'postgres')).toBe(false);
    expect(mayOverflow(col('process'), 'WWWWWWWWWW')).toBe(true);
    // Fixed-content columns never clip; the widest glyph times the safe length fits the minimum.
    expect(safeChars(col('port'))).toBe(Number.POSITIVE_INFINITY);
    for (const c of COLUMNS) {
      const min = Number(/(\d+)px/.exec(c.width)?.[1]);
      if (!c.fits) expect(safeChars(c) * (c.mono ? 8 : 13) + 16).toBeLessThanOrEqual(min);
    }
  });
});

describe('traffic columns', () => {
  it('Sent, Received and Rate only in All sockets, with bytes and bytes per second', async () => {
    const { columnsFor } = await import('./columns');
    const ids = (v: 'all' | 'listening') => columnsFor(v).map((c) => c.id);
    expect(ids('listening')).not.toContain('sent');
    expect(ids('listening')).not.toContain('rate');
    expect(ids('all')).toEqual(expect.arrayContaining(['sent', 'received', 'rate']));
    const { testRow } = await import('../../../shared/testing/rows');
    const row = {
      ...testRow(5000, { state: 'ESTABLISHED' }),
      traffic: { bytesSent: 10 * 1024 * 1024, bytesReceived: 1536, sendRate: 2048, receiveRate: 0 },
    };
    const vr: ViewRow = { key: row.key, row, members: [row] };
    expect(col('sent').text(vr, 0)).toBe('10.0 MiB');
    expect(col('received').text(vr, 0)).toBe('1.5 KiB');
    expect(col('rate').text(vr, 0)).toBe('2.0 KiB/s');
    const idle = { ...vr, row: { ...row, traffic: null } };
    expect(col('rate').text(idle, 0)).toBe('—');
    expect(col('rate').cls?.(idle)).toBe('ps-faint');
  });
});
