import { describe, expect, it } from 'vitest';
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
