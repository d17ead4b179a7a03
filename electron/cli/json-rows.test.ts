import { describe, expect, it } from 'vitest';
import { jsonRowsText } from './json-rows';
import { jsonRow } from './list-format';
import { proc, row } from './testing/rows';

describe('list --json text', () => {
  it('parses to exactly rows.map(jsonRow), one row per line, each process written once per object', () => {
    const shared = proc('nginx', { label: 'nginx: master', command: 'nginx -g "daemon off;"' });
    const worker = proc('nginx', { ppid: 10 });
    const owners = [
      { pid: 10, process: shared },
      { pid: 11, process: worker },
    ];
    const rows = [
      row(80, {
        owners,
        pid: 10,
        process: shared,
        exposure: 'network',
        serviceSource: 'common',
        service: 'http',
      }),
      row(443, { owners, pid: 10, process: shared }),
      row(9, { pid: null, process: null, owners: [], inode: 0, state: 'TIME_WAIT' }),
      row(53, { process: proc('odd \u0000p "quoted" \u202e name'), family: 6, localAddress: '::1' }),
    ];
    const text = jsonRowsText(rows);
    expect(JSON.parse(text)).toEqual(rows.map(jsonRow));
    expect(text.split('\n')).toHaveLength(rows.length + 3);
    // Terminal-unsafe characters escaped as in every other JSON the CLI prints.
    expect(text).not.toContain('\u202e');
    expect(jsonRowsText([])).toBe('[]\n');
  });
});
