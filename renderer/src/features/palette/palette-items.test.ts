import { describe, expect, it } from 'vitest';
import type { SocketRow } from '../../../../shared/model';
import { testRow } from '../../testing/scripted-api';
import { buildPalette, type PaletteContext } from './palette-items';
import { portOwners } from './resolve';

const node = testRow(3000, { name: 'node' });
const node6: SocketRow = { ...node, key: 'tcp6|::|3000|4000', family: 6, localAddress: '::' };
const other = testRow(30001, { name: 'other' });
const client: SocketRow = {
  ...testRow(3000, { name: 'curl', pid: 7777 }),
  key: 'client',
  state: 'ESTABLISHED',
  remoteAddress: '127.0.0.1',
  remotePort: 3000,
};
const hidden = testRow(8080, { pid: null, process: null });
const all = [node, node6, other, client, hidden];
const ctx = (visible: SocketRow[] = all): PaletteContext => ({ rows: all, visible });

const kills = (input: string, c = ctx()) =>
  buildPalette(input, c).items.flatMap((i) => (i.action?.type === 'kill' ? [i.action.row.pid] : []));

describe('buildPalette', () => {
  it('free <port> offers exactly the listener on that port, once per process', () => {
    expect(kills('free 3000')).toEqual([node.pid]);
    expect(kills('free :30001')).toEqual([other.pid]);
    expect(buildPalette('free 3000', ctx()).items[0]?.label).toBe(`Kill node (PID ${node.pid})`);
  });

  it('never treats a client connected to the port, or a longer port, as its owner', () => {
    expect(portOwners(all, 3000).map((r) => r.pid)).not.toContain(7777);
    expect(kills('free 300')).toEqual([]);
    expect(buildPalette('free 300', ctx()).items[0]).toMatchObject({
      label: 'Nothing is listening on port 300',
      action: null,
    });
  });

  it('explains a port whose owner is not visible instead of offering a kill', () => {
    const [item] = buildPalette('free 8080', ctx()).items;
    expect(item?.action).toBeNull();
    expect(item?.label).toContain('another user');
  });

  it('kill pid acts only on a process the table shows', () => {
    expect(kills(`kill pid ${node.pid}`)).toEqual([node.pid]);
    const filtered = buildPalette(`kill pid ${node.pid}`, ctx([other]));
    expect(filtered.items[0]).toMatchObject({ action: null });
    expect(filtered.items[0]?.label).toContain('hidden by the table');
    expect(buildPalette('kill pid 99999', ctx()).items[0]?.label).toContain('not in the table');
  });

  it('maps the other commands to their actions', () => {
    const action = (s: string) => buildPalette(s, ctx()).items[0]?.action;
    expect(action('open 5173')).toEqual({ type: 'open', port: 5173 });
    expect(action('pause')).toEqual({ type: 'pause' });
    expect(action('resume')).toEqual({ type: 'resume' });
    expect(action('filter proc:node')).toEqual({ type: 'filter', text: 'proc:node' });
    expect(action('all')).toEqual({ type: 'scope', scope: 'all' });
    expect(action('listening')).toEqual({ type: 'scope', scope: 'listening' });
  });

  it('suggests commands while typing: argument commands complete, others run', () => {
    expect(buildPalette('fr', ctx()).items[0]?.action).toEqual({ type: 'complete', text: 'free ' });
    expect(buildPalette('pau', ctx()).items[0]?.action).toEqual({ type: 'pause' });
    expect(buildPalette('lsn', ctx()).items[0]?.action).toEqual({ type: 'scope', scope: 'listening' });
  });

  it('a bare port offers to free or open it; a bad argument says why', () => {
    const bare = buildPalette('3000', ctx()).items.map((i) => i.action?.type);
    expect(bare).toEqual(['kill', 'open']);
    expect(buildPalette('free 3000x', ctx()).error).toContain('"3000x" is not a port');
    expect(buildPalette('free ', ctx()).error).toBeNull();
    expect(buildPalette('qqq', ctx())).toMatchObject({ items: [], error: 'Unknown command "qqq"' });
  });
});
