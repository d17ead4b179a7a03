import { describe, expect, it } from 'vitest';
import { testRow } from '../../../../shared/testing/rows';
import type { ViewRow } from '../../../../shared/view';
import { quickList } from './quick-list';

const web = { id: 'abcdef123456', name: 'web', image: 'nginx', engine: 'docker' as const };
const line = (port: number, container = false): ViewRow => {
  const row = testRow(port, container ? { container: web } : {});
  return { key: row.key, row, members: [row] };
};

describe('quickList and containers', () => {
  it('puts a container’s ports together under its lowest port, and finds them by container name', () => {
    const rows = [line(80, true), line(3000), line(5432), line(8080, true)];
    expect(quickList(rows, '').rows.map((vr) => vr.row.localPort)).toEqual([80, 8080, 3000, 5432]);
    expect(quickList(rows, 'web').rows.map((vr) => vr.row.localPort)).toEqual([80, 8080]);
    // A port still acts only on the exact port.
    expect(quickList(rows, '8080')).toMatchObject({ defaultIndex: 0, port: 8080 });
  });
});
