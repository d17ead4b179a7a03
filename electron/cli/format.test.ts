import { describe, expect, it } from 'vitest';
import { formatAddress, formatEndpoint, formatListTable, jsonRow, localLabel, sortRows } from './list-format';
import { proc, row } from './testing/rows';
import { displayWidth, jsonText, safeText, truncate } from './text';
import { formatWarning } from './warnings';
import { findHolders, formatAge, formatHolders, heldByProcess } from './who-format';

describe('safeText', () => {
  it('replaces control characters, C1 controls and bidi overrides with ?', () => {
    expect(safeText('evil\u001b]52;c;Zm9v\u0007name')).toBe('evil?]52;c;Zm9v?name');
    expect(safeText('a\nb\tc\rd\u007fe\u009bf')).toBe('a?b?c?d?e?f');
    expect(safeText('abc\u202edcba')).toBe('abc?dcba');
    expect(safeText('plain – ünïcode 名前')).toBe('plain – ünïcode 名前');
  });
});

describe('jsonText', () => {
  it('escapes C1 controls, separators and bidi marks but parses back to the same value', () => {
    const value = [{ name: 'a\u009b31mb\u202ec\u2028d\u001be', n: 1 }];
    const text = jsonText(value);
    expect(text).not.toMatch(/[\u007f-\u009f\u2028\u202e]/);
    expect(text).toContain('\\u009b');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('widths and truncation', () => {
  it('counts wide characters as two cells', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('名前')).toBe(4);
  });
  it('cuts to the width with an ellipsis, and leaves short text alone', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(displayWidth(truncate('名前名前', 5))).toBeLessThanOrEqual(5);
    expect(truncate('abc', 3)).toBe('abc');
  });
});

describe('addresses', () => {
  it('brackets IPv6 and leaves IPv4 alone', () => {
    expect(formatAddress('::1', 6)).toBe('[::1]');
    expect(formatAddress('fe80::1%eth0', 6)).toBe('[fe80::1%eth0]');
    expect(formatAddress('0.0.0.0', 4)).toBe('0.0.0.0');
    expect(formatEndpoint('::1', 5432, 6)).toBe('[::1]:5432');
    expect(formatEndpoint(null, null, 4)).toBe('-');
  });
});

describe('local address labels, as ss writes them', () => {
  it('shows the bound device, the IPv6 zone and dual-stack `*`', () => {
    expect(localLabel(row(53, { protocol: 'udp', localAddress: '0.0.0.0', device: 'lo' }))).toBe(
      '0.0.0.0%lo',
    );
    expect(localLabel(row(53, { family: 6, localAddress: 'fe80::1', zone: 'eth0' }))).toBe('[fe80::1%eth0]');
    expect(localLabel(row(80, { family: 6, localAddress: '::', v6only: false }))).toBe('*');
    expect(localLabel(row(80, { family: 6, localAddress: '::', v6only: true }))).toBe('[::]');
  });
});

describe('JSON rows', () => {
  it('carry every holder parent first, and pid/process as the first one', () => {
    const owners = [
      { pid: 10, process: proc('gunicorn') },
      { pid: 11, process: proc('gunicorn', { ppid: 10 }) },
    ];
    const r = jsonRow(
      row(8000, { owners, pid: 10, process: owners[0]?.process, inode: 9, uid: 0, user: 'root' }),
    );
    expect(r).toMatchObject({ pid: 10, inode: 9, uid: 0, user: 'root', device: null, v6only: null });
    expect(r.owners.map((o) => o.pid)).toEqual([10, 11]);
    expect(r.process?.name).toBe('gunicorn');
    const none = jsonRow(row(8000, { pid: null, process: null, inode: 0, state: 'TIME_WAIT' }));
    expect(none).toMatchObject({ owners: [], pid: null, process: null, holder: 'kernel' });
  });
});

describe('sortRows', () => {
  it('orders by port, then protocol (tcp before udp), then family', () => {
    const rows = [
      row(8080),
      row(53, { protocol: 'udp', state: 'UNCONN' }),
      row(53, { family: 6, localAddress: '::' }),
      row(53),
      row(22),
    ];
    const sorted = sortRows(rows).map((r) => `${r.localPort}/${r.protocol}${r.family}`);
    expect(sorted).toEqual(['22/tcp4', '53/tcp4', '53/tcp6', '53/udp4', '8080/tcp4']);
  });
});

describe('formatListTable', () => {
  const rows = [
    row(5432, { service: 'postgresql', process: proc('postgres', { user: 'postgres' }), pid: 77 }),
    row(53, { protocol: 'udp', state: 'UNCONN', family: 6, localAddress: '::1', pid: null, process: null }),
  ];

  it('summarises every holder in PROCESS and says "no process" for kernel-held sockets', () => {
    const owners = [100, 101, 102, 103, 104].map((pid) => ({ pid, process: proc('nginx') }));
    const pre = row(80, { owners, pid: 100, process: owners[0]?.process });
    const tw = row(81, {
      pid: null,
      process: null,
      inode: 0,
      state: 'TIME_WAIT',
      remoteAddress: '::1',
      remotePort: 1,
    });
    const out = formatListTable([pre, tw], { all: true, header: false });
    expect(out).toMatch(/\s100\s+nginx \+4 workers\s/);
    expect(out).toMatch(/\s-\s+\(no process\)\s/);
  });

  it('aligns columns under a header, sorted, with plain words for unknown owners', () => {
    const lines = formatListTable(rows, { all: false, header: true }).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^PROTO\s+LOCAL ADDRESS\s+PORT\s+SERVICE\s+PID\s+PROCESS\s+USER\s+STATE\s+COMMAND$/,
    );
    expect(lines[1]).toMatch(/^udp\s+\[::1\]\s+53\s+-\s+-\s+\(not visible\)\s+-\s+UNCONN$/);
    expect(lines[2]).toMatch(
      /^tcp\s+127\.0\.0\.1\s+5432\s+postgresql\s+77\s+postgres\s+postgres\s+LISTEN\s+/,
    );
    // Aligned: every column starts at the same offset on every line.
    const at = (line: string, word: string) => line.indexOf(word);
    expect(at(lines[1] as string, '53')).toBe(at(lines[0] as string, 'PORT') + 2);
    expect(at(lines[2] as string, 'LISTEN')).toBe(at(lines[0] as string, 'STATE'));
  });

  it('adds REMOTE with --all and drops the header with --no-header', () => {
    const conn = row(40000, { state: 'ESTABLISHED', remoteAddress: '::1', remotePort: 5432, family: 6 });
    const out = formatListTable([conn], { all: true, header: false });
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toContain('[::1]:5432');
    expect(out).not.toContain('PROTO');
  });

  it('fits a terminal width by cutting the command, and keeps it whole when piped', () => {
    const long = row(3000, { process: proc('node', { command: `node ${'x'.repeat(300)}` }) });
    const tty = formatListTable([long], { all: false, header: true, width: 100 });
    for (const line of tty.trimEnd().split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(100);
    expect(tty).toContain('…');
    const piped = formatListTable([long], { all: false, header: true });
    expect(piped).toContain('x'.repeat(300));
  });

  it('never emits control characters from hostile names or commands', () => {
    const hostile = row(4444, {
      process: proc('\u001b[31mred\u001b[0m', {
        command: 'sh -c "\u001b]0;pwned\u0007"\nfake line',
        user: 'a\rb',
      }),
    });
    const out = formatListTable([hostile], { all: false, header: true, width: 200 });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that none are left.
    expect(out.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(out.trimEnd().split('\n')).toHaveLength(2);
  });
});

describe('who formatting', () => {
  it('matches the port exactly and puts listeners before connections', () => {
    const rows = [
      row(30001, { pid: 1 }),
      row(3000, { pid: 5, state: 'ESTABLISHED', remoteAddress: '127.0.0.1', remotePort: 50000 }),
      row(3000, { pid: 9, process: proc('server') }),
      row(300, { pid: 2 }),
    ];
    const holders = findHolders(rows, 3000);
    expect(holders.map((h) => h.owners[0]?.pid)).toEqual([9, 5]);
    expect(findHolders(rows, 30)).toEqual([]);
  });

  it('prints name, PID, command, user, start time and sockets', () => {
    const holders = findHolders([row(3000, { pid: 9, service: 'hbci', process: proc('server') })], 3000);
    const start = holders[0]?.owners[0]?.process?.startTime as number;
    const out = formatHolders(3000, holders, start + 65_000);
    expect(out).toContain('server (PID 9)');
    expect(out).toContain('command  /usr/bin/server --serve');
    expect(out).toContain('user     alice');
    expect(out).toMatch(/started {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(1m 5s ago\)/);
    expect(out).toContain('sockets  tcp 127.0.0.1:3000 LISTEN (hbci)');
  });

  it("says plainly when the holder is not visible, naming the socket's user when known", () => {
    const holders = findHolders([row(2024, { pid: null, process: null })], 2024);
    expect(formatHolders(2024, holders, 0)).toContain('not visible (another user’s process)');
    const pg = [row(5432, { pid: null, process: null, inode: 77, uid: 70, user: 'postgres' })];
    expect(formatHolders(5432, findHolders(pg, 5432), 0)).toContain(
      'not visible (a socket of user postgres)',
    );
    expect(formatHolders(5432, findHolders(pg, 5432, true), 0, true)).toContain(
      'a socket of user postgres in another PID namespace',
    );
  });

  it('names a pre-fork master and its workers in one block, parent first', () => {
    const master = { pid: 100, process: proc('nginx') };
    const workers = [101, 102].map((pid) => ({ pid, process: proc('nginx', { ppid: 100 }) }));
    const owners = [master, ...workers];
    const sockets = [
      row(8080, { owners, pid: 100, process: master.process, inode: 5 }),
      row(8080, { owners, pid: 100, process: master.process, inode: 6, family: 6, localAddress: '::' }),
    ];
    const groups = findHolders(sockets, 8080);
    expect(groups).toHaveLength(1);
    const out = formatHolders(8080, groups, 0);
    expect(out).toMatch(
      /^Port 8080 is held by 3 processes:\n\nnginx \(PID 100\)\n {2}holders {2}nginx \(PID 100\), nginx \(PID 101\), nginx \(PID 102\)\n/,
    );
    expect(out.match(/ {2}sockets|tcp /g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('lists kernel-held sockets under "no process", with how long the kernel keeps them', () => {
    const tw = row(9000, {
      pid: null,
      process: null,
      inode: 0,
      state: 'TIME_WAIT',
      remoteAddress: '127.0.0.1',
      remotePort: 40000,
    });
    const groups = findHolders([tw], 9000);
    expect(heldByProcess(groups)).toBe(false);
    const out = formatHolders(9000, groups, 0);
    expect(out).toContain('No process holds port 9000');
    expect(out).toContain('no process (closed by its owner; the kernel keeps it for up to 60 s)');
    expect(out).not.toContain('not visible');
  });

  it('shows the real user beside the effective one when they differ', () => {
    const p = proc('sudo', { user: 'root', realUser: 'alice' });
    const out = formatHolders(22, findHolders([row(22, { pid: 5, process: p })], 22), 0);
    expect(out).toContain('user     root (real user alice)');
  });

  it('formats ages in the two largest units', () => {
    expect(formatAge(12_000)).toBe('12s');
    expect(formatAge(3 * 3_600_000 + 5 * 60_000)).toBe('3h 5m');
    expect(formatAge(2 * 86_400_000 + 3_600_000)).toBe('2d 1h');
    expect(formatAge(-5)).toBe('0s');
  });
});

describe('warnings', () => {
  it('prints one line: tool, message, hint', () => {
    const line = formatWarning({
      source: 'proc-net',
      tool: 'ss',
      kind: 'missing',
      message: 'spawn ss ENOENT\nmore',
      hint: 'install iproute2',
    });
    expect(line).toBe('portscope: warning: ss: spawn ss ENOENT more (install iproute2)\n');
  });
});
