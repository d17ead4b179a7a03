import { describe, expect, it } from 'vitest';
import { testRow } from '../../../shared/testing/rows';
import type { ViewRow } from '../../../shared/view';
import { ACTIONS_PX, arrangeColumns, layoutColumns, mayOverflow, moveChoice, toPrefs } from './column-layout';
import { COLUMNS } from './columns';
import { middleEllipsis } from './middle-ellipsis';

const vr = (row = testRow(3000)): ViewRow => ({ key: row.key, row, members: [row] });
const ids = (cols: { id: string }[]) => cols.map((c) => c.id);

describe('the column registry', () => {
  it('has one entry per id, each with a positive width and a priority', () => {
    expect(new Set(ids(COLUMNS)).size).toBe(COLUMNS.length);
    for (const c of COLUMNS) {
      expect(c.min).toBeGreaterThan(0);
      expect(c.priority).toBeGreaterThan(0);
    }
  });

  it('shows proto, address, port, process, command, PID, user and state at 1280 px without dropping one', () => {
    // 1280 px window minus the vertical scrollbar.
    const { columns, dropped } = layoutColumns(arrangeColumns([], 'listening'), 1265);
    expect(dropped).toEqual([]);
    for (const id of ['protocol', 'local', 'port', 'process', 'command', 'pid', 'user', 'state']) {
      expect(ids(columns)).toContain(id);
    }
    // A typical row fits its cells (average glyph of the 13 px UI font ~7.5 px; mono 7.3 px).
    const row = testRow(5173, { name: 'node' });
    row.process = {
      ...(row.process as NonNullable<typeof row.process>),
      label: 'vite',
      project: { name: 'shop-web', dir: '/src/shop-web', branch: 'main' },
    };
    for (const c of columns) {
      const text = String(c.text(vr(row), Date.now(), c.px, false));
      expect(text.length * 7.5 + 16, c.id).toBeLessThanOrEqual(c.px);
    }
    expect(mayOverflow(columns.find((c) => c.id === 'port') as (typeof columns)[number], 65535)).toBe(false);
    expect(columns.reduce((n, c) => n + c.px, ACTIONS_PX)).toBeLessThanOrEqual(1265);
  });

  it('drops the least useful columns first in a narrow window, never the port', () => {
    const all = arrangeColumns([], 'listening');
    const { columns, dropped } = layoutColumns(all, 640);
    expect(ids(columns)).toContain('port');
    expect(ids(columns)).toContain('process');
    const keptPriority = Math.min(...columns.map((c) => c.priority));
    for (const d of dropped) expect(d.priority).toBeLessThanOrEqual(keptPriority);
    expect(dropped.map((d) => d.id).slice(0, 2)).toEqual(['service', 'user']);
  });

  it('keeps the protocol while it drops the command in a narrow window (tcp and udp on one port stay apart)', () => {
    const all = arrangeColumns([], 'listening');
    const { columns, dropped } = layoutColumns(all, 885);
    expect(ids(columns)).toContain('protocol');
    expect(ids(dropped)).toContain('service');
    // The narrowest window that still shows the command also shows the protocol.
    for (let px = 400; px <= 1265; px += 5) {
      const fit = ids(layoutColumns(all, px).columns);
      if (fit.includes('command')) expect(fit, `${px} px`).toContain('protocol');
    }
  });

  it('follows the user’s order, visibility and widths, and adds columns it has not seen', () => {
    const prefs = [
      { id: 'command', visible: true, width: 300 },
      { id: 'port', visible: true, width: null },
      { id: 'user', visible: false, width: null },
      { id: 'gone-column', visible: true, width: null },
    ];
    const choices = arrangeColumns(prefs, 'listening');
    expect(ids(choices.map((c) => c.column)).slice(0, 2)).toEqual(['command', 'port']);
    expect(choices.find((c) => c.column.id === 'user')?.visible).toBe(false);
    expect(choices.some((c) => c.column.id === 'gone-column')).toBe(false);
    // Remote is only in All sockets; Started is off by default.
    expect(choices.some((c) => c.column.id === 'remote')).toBe(false);
    expect(choices.find((c) => c.column.id === 'started')?.visible).toBe(false);
    const { columns } = layoutColumns(choices, 1600);
    expect(columns.find((c) => c.id === 'command')?.px).toBe(300);
    expect(ids(columns)).not.toContain('user');
    // Moving and saving keeps every column (the chooser edits the whole arrangement).
    const moved = moveChoice(arrangeColumns(prefs, null), 1, -1);
    expect(toPrefs(moved)[0]?.id).toBe('port');
    expect(toPrefs(moved)).toHaveLength(COLUMNS.length);
  });
});

describe('cells', () => {
  const col = (id: string) => layoutColumns(arrangeColumns([], 'all'), 1600).columns.find((c) => c.id === id);

  it('middle-ellipsises the command line to the column and keeps both ends', () => {
    const long = `/usr/bin/python3 -m http.server --bind 127.0.0.1 --directory /srv/some/very/long/path/to/site 8000`;
    expect(middleEllipsis(long, 30)).toHaveLength(30);
    expect(middleEllipsis(long, 30).startsWith('/usr/bin/py')).toBe(true);
    expect(middleEllipsis(long, 30).endsWith('site 8000')).toBe(true);
    expect(middleEllipsis('short', 30)).toBe('short');
    const c = col('command');
    if (!c) throw new Error('no command column');
    const row = testRow(8000, { name: 'python3' });
    row.process = { ...(row.process as NonNullable<typeof row.process>), command: long };
    const text = String(c.text(vr(row), 0, 200, false));
    expect(text).toContain('…');
    expect(c.title?.(vr(row), false)).toBe(long);
  });

  it('labels the process with its project, the reach and the remote name', () => {
    const row = testRow(5173, { name: 'node', exposure: 'network', remoteName: null });
    row.process = {
      ...(row.process as NonNullable<typeof row.process>),
      label: 'vite',
      project: { name: 'shop-web', dir: '/w', branch: 'main' },
    };
    expect(col('process')?.text(vr(row), 0, 200, false)).toBe('vite · shop-web (main)');
    expect(col('reach')?.text(vr(row), 0, 84, false)).toBe('network');
    expect(col('reach')?.cls?.(vr(row))).toContain('ps-reach-network');
    const conn = testRow(40000, {
      state: 'ESTABLISHED',
      remoteAddress: '140.82.112.3',
      remotePort: 443,
      remoteName: 'lb-140-82-112-3-iad.github.com',
    });
    expect(col('remote')?.text(vr(conn), 0, 300, false)).toBe('lb-140-82-112-3-iad.github.com:443');
    expect(col('remote')?.title?.(vr(conn), false)).toContain('140.82.112.3:443');
  });

  it('draws IANA service names dimmer than the names people use', () => {
    const iana = testRow(8000, { service: 'irdmi', serviceSource: 'iana' });
    const common = testRow(80, { service: 'http', serviceSource: 'common' });
    expect(col('service')?.cls?.(vr(iana))).toBe('ps-svc-iana');
    expect(col('service')?.cls?.(vr(common))).toBeUndefined();
  });
});

describe('traffic columns', () => {
  it('Sent, Received and Rate only in All sockets, with bytes and bytes per second', async () => {
    const { inView } = await import('./columns');
    const col = (id: string) => COLUMNS.find((c) => c.id === id) as (typeof COLUMNS)[number];
    for (const id of ['sent', 'received', 'rate']) {
      expect(inView(col(id), 'listening')).toBe(false);
      expect(inView(col(id), 'all')).toBe(true);
    }
    const row = {
      ...testRow(5000, { state: 'ESTABLISHED' }),
      traffic: { bytesSent: 10 * 1024 * 1024, bytesReceived: 1536, sendRate: 2048, receiveRate: 0 },
    };
    const line: ViewRow = { key: row.key, row, members: [row] };
    expect(col('sent').text(line, 0, 96, false)).toBe('10.0 MiB');
    expect(col('received').text(line, 0, 96, false)).toBe('1.5 KiB');
    expect(col('rate').text(line, 0, 108, false)).toBe('2.0 KiB/s');
    const idle = { ...line, row: { ...row, traffic: null } };
    expect(col('rate').text(idle, 0, 108, false)).toBe('—');
    expect(col('rate').cls?.(idle)).toBe('ps-faint');
  });
});
