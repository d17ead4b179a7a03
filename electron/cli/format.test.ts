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
  it('counts one cell per character up to the combining marks (the fast path), and none for them', () => {
    for (let cp = 0; cp < 0x400; cp++) {
      const expected = cp >= 0x300 && cp <= 0x36f ? 1 : 2;
      expect(displayWidth(`${String.fromCodePoint(cp)}a`), cp.toString(16)).toBe(expected);
    }
    expect(displayWidth('café\u0301 名')).toBe(7);
    expect(truncate('caf\u00e9-latin-1', 5)).toBe('caf\u00e9…');
    expect(truncate('e\u0301e\u0301e\u0301e\u0301', 3)).toBe('e\u0301e\u0301…');
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

describe('local address labels, as the GUI writes them', () => {
  it('shows the bound device, the IPv6 zone and dual-stack `*`', () => {
    expect(localLabel(row(53, { protocol: 'udp', localAddress: '0.0.0.0', device: 'lo' }))).toBe(
      '0.0.0.0%lo',
    );
    expect(localLabel(row(53, { family: 6, localAddress: 'fe80::1', zone: 'eth0' }))).toBe('fe80::1%eth0');
    expect(localLabel(row(80, { family: 6, localAddress: '::', v6only: false }))).toBe('*');
    expect(localLabel(row(80, { family: 6, localAddress: '::', v6only: true }))).toBe('::');
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
    // The GUI's notation: tcp6/udp6 and the address without brackets.
    expect(lines[1]).toMatch(/^udp6\s+::1\s+53\s+-\s+-\s+\(not visible\)\s+-\s+UNCONN$/);
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

  it('at 80 columns cuts COMMAND first, then other columns, then leaves some out; never past 80', () => {
    const cmd = `/root/.pyenv/versions/3.11.7/bin/python3 -m http.server ${'9'.repeat(60)}`;
    const short = row(8000, { process: proc('python3', { command: cmd }), service: 'dev server' });
    const one = formatListTable([short], { all: false, header: true, width: 80 });
    const [head, line] = one.trimEnd().split('\n') as [string, string];
    expect(head).toMatch(/^PROTO\s+LOCAL ADDRESS\s+PORT\s+SERVICE\s+PID\s+PROCESS\s+STATE\s+COMMAND$/);
    // USER gave way before SERVICE or PROCESS were cut; COMMAND keeps what is left.
    expect(line).toMatch(/8000\s+dev server\s+\d+\s+python3\s+LISTEN\s+\/root\/\.pyenv\S*…$/);
    expect(displayWidth(line)).toBe(80);
    const wide = row(8001, {
      family: 6,
      localAddress: 'fe80::1234:5678:9abc:def0',
      zone: 'enp0s31f6',
      process: proc('x'.repeat(40), { command: cmd, user: 'a-very-long-user-name' }),
      service: 'a-long-service-name',
      exposure: 'network',
    });
    for (const width of [80, 60, 40]) {
      const out = formatListTable([short, wide], { all: true, header: true, width });
      for (const l of out.trimEnd().split('\n'))
        expect(displayWidth(l), `${width}: ${l}`).toBeLessThanOrEqual(width);
      expect(out).toContain('8001');
    }
    const piped = formatListTable([short, wide], { all: true, header: true });
    expect(piped).toContain(cmd);
    expect(piped).toContain('a-very-long-user-name');
  });

  it('shows the friendly label, the project and the reach when the row has them, and JSON carries them', () => {
    const vite = row(5173, {
      process: proc('node', {
        label: 'vite',
        project: { name: 'shop-web', dir: '/src/shop', branch: 'main' },
      }),
      service: 'vite',
      serviceSource: 'dev',
      exposure: 'loopback',
    });
    const out = formatListTable([vite], { all: false, header: true });
    expect(out).toMatch(/REACH\s+COMMAND\n/);
    expect(out).toMatch(/5173\s+vite\s+\d+\s+vite · shop-web\s+alice\s+LISTEN\s+loopback\s+\/usr\/bin\/node/);
    const json = jsonRow(vite);
    expect(json).toMatchObject({ service: 'vite', serviceSource: 'dev', exposure: 'loopback' });
    expect(json.process?.label).toBe('vite');
    expect(jsonRow(row(1))).toMatchObject({ serviceSource: null, exposure: null });
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
    // The GUI's notation for an IPv6 socket: tcp6, the address bracketed before its port.
    expect(out).toContain('tcp6 [::]:8080 LISTEN');
  });

  it('fits a terminal width (the command line is cut) and shows label, project and reach', () => {
    const p = proc('node', {
      command: `node /srv/app/node_modules/.bin/vite ${'--flag '.repeat(30)}`,
      label: 'vite',
      project: { name: 'shop-web', dir: '/srv/app', branch: 'main' },
    });
    const groups = findHolders(
      [row(5173, { pid: 7, process: p, exposure: 'network', service: 'vite' })],
      5173,
    );
    const cut = formatHolders(5173, groups, 0, false, 80);
    for (const l of cut.split('\n')) expect(displayWidth(l)).toBeLessThanOrEqual(80);
    expect(cut).toContain('  label    vite\n');
    expect(cut).toContain('  project  shop-web (main)  /srv/app\n');
    expect(cut).toContain('tcp 127.0.0.1:5173 LISTEN (vite) network');
    expect(cut).toMatch(/command {2}node .*…\n/);
    expect(formatHolders(5173, groups, 0)).toContain('--flag '.repeat(30).trimEnd());
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
