import { describe, expect, it } from 'vitest';
import type { SocketRow } from '../../shared/model';
import { completeRow } from '../../shared/testing/rows';
import {
  buildTrayMenu,
  copyableAddress,
  countListeningPorts,
  groupListeners,
  menuText,
  type TrayAction,
  type TrayMenuItem,
  trayTooltip,
} from './tray-menu';

function row(over: Partial<SocketRow> & { name?: string; startId?: string } = {}): SocketRow {
  const { name = 'node', startId = '100', ...rest } = over;
  const base: SocketRow = completeRow({
    key: '',
    protocol: 'tcp',
    family: 4,
    localAddress: '0.0.0.0',
    localPort: 3000,
    remoteAddress: null,
    remotePort: null,
    state: 'LISTEN',
    pid: 1234,
    process: {
      name,
      command: name,
      path: '',
      user: 'me',
      startTime: 0,
      startId,
      ppid: 1,
      cpu: null,
      memory: null,
    },
    service: null,
  });
  const r = completeRow({
    ...base,
    ...rest,
    // Derived again from the owners below (the base row's holder kind is the default row's).
    holder: rest.holder,
    owners:
      rest.owners ??
      (rest.pid === undefined
        ? base.owners
        : rest.pid === null
          ? []
          : [{ pid: rest.pid, process: rest.process ?? base.process }]),
  });
  r.key = `${r.protocol}|${r.family}|${r.localAddress}|${r.localPort}|${r.remoteAddress}|${r.remotePort}|${r.pid}`;
  return r;
}

/** Every action anywhere in the menu, depth first. */
function actions(items: TrayMenuItem[]): TrayAction[] {
  return items.flatMap((i) => [...(i.action ? [i.action] : []), ...actions(i.submenu ?? [])]);
}

const labels = (items: TrayMenuItem[]) => items.map((i) => i.label ?? `<${i.type}>`);

describe('groupListeners', () => {
  it('groups by process identity, merges IPv4/IPv6 twins, sorts by port', () => {
    const groups = groupListeners([
      row({ localPort: 5173 }),
      row({ localPort: 3000 }),
      row({ localPort: 3000, family: 6, localAddress: '::' }),
      row({ pid: 77, name: 'postgres', startId: '5', localPort: 5432 }),
      row({ pid: 1234, localPort: 9999, state: 'ESTABLISHED', remoteAddress: '1.2.3.4', remotePort: 443 }),
    ]);
    expect(groups.map((g) => g.name)).toEqual(['node', 'postgres']);
    expect(groups[0]?.ports.map((p) => p.port)).toEqual([3000, 5173]);
    expect(groups[0]?.ports[0]?.addresses).toEqual(['0.0.0.0', '::']);
  });

  it('keeps a reused PID (different start identity) apart', () => {
    const groups = groupListeners([row({ startId: '1' }), row({ startId: '2', localPort: 4000 })]);
    expect(groups).toHaveLength(2);
  });

  it('lists bound UDP but not UDP or TCP connections', () => {
    const rows = [
      row({ protocol: 'udp', state: 'UNCONN', localPort: 53 }),
      row({
        protocol: 'udp',
        state: 'ESTABLISHED',
        localPort: 40000,
        remoteAddress: '1.1.1.1',
        remotePort: 53,
      }),
    ];
    expect(countListeningPorts(rows)).toBe(1);
  });
});

describe('container ports in the tray', () => {
  const web = { id: 'abcdef123456', name: 'web', image: 'nginx:1.27', engine: 'docker' as const };
  it('sit under the container’s name, whichever process holds them, and are stopped from the window', () => {
    const viaProxy = row({ localPort: 8080, name: 'docker-proxy', pid: 900, container: web });
    const viaProxy6 = row({ localPort: 8443, name: 'docker-proxy', pid: 901, startId: '7', container: web });
    const plain = row({ localPort: 3000, name: 'node' });
    const groups = groupListeners([viaProxy, plain, viaProxy6]);
    expect(groups.map((g) => g.name)).toEqual(['node', 'container web (nginx:1.27)']);
    expect(groups[1]?.ports.map((p) => p.port)).toEqual([8080, 8443]);
    const menu = buildTrayMenu([viaProxy, plain, viaProxy6], { paused: false });
    // Never a Kill of docker-proxy from the tray: the action opens the window, where Stop container is.
    expect(actions(menu)).not.toContainEqual(expect.objectContaining({ kind: 'kill', port: 8080 }));
    expect(JSON.stringify(menu)).toContain('Stop container… (in the window)');
  });
});

describe('buildTrayMenu', () => {
  it('lists each port with Open in browser, Copy address and Kill…, then the commands', () => {
    const menu = buildTrayMenu([row({ localPort: 3000, service: 'hbci' })], { paused: false });
    expect(labels(menu)).toEqual([
      'node (PID 1234)',
      '3000/tcp · hbci',
      '<separator>',
      'Free a port…',
      'Pause updates',
      'Show Portscope',
      '<separator>',
      'Quit Portscope',
    ]);
    expect(menu[0]?.enabled).toBe(false);
    expect(labels(menu[1]?.submenu ?? [])).toEqual(['Open in browser', 'Copy address', 'Kill…']);
    expect(actions(menu[1]?.submenu ?? [])).toEqual([
      { kind: 'open-port', port: 3000 },
      { kind: 'copy-address', address: 'localhost:3000' },
      { kind: 'kill', target: { pid: 1234, startId: '100' }, port: 3000, protocol: 'tcp' },
    ]);
  });

  it('offers Resume when paused', () => {
    const menu = buildTrayMenu([], { paused: true });
    expect(labels(menu)).toContain('Resume updates');
    expect(labels(menu)).not.toContain('Pause updates');
    expect(labels(menu)[0]).toBe('No ports listening');
  });

  it('shows the first N ports, then More… with the remainder', () => {
    const rows = Array.from({ length: 30 }, (_, i) =>
      row({ pid: 100 + i, startId: `${i}`, localPort: 8000 + i }),
    );
    const menu = buildTrayMenu(rows, { paused: false, maxPorts: 5 });
    const ports = menu.filter((i) => i.type === 'submenu');
    expect(ports.map((i) => i.label)).toEqual(['8000/tcp', '8001/tcp', '8002/tcp', '8003/tcp', '8004/tcp']);
    const more = menu.find((i) => i.label?.startsWith('More…'));
    expect(more).toMatchObject({ label: 'More… (25 more)', action: { kind: 'more' } });
  });

  it('cuts a process group at the limit without showing an empty header', () => {
    const rows = [
      row({ localPort: 1 }),
      row({ localPort: 2 }),
      row({ pid: 9, startId: '9', name: 'other', localPort: 3 }),
    ];
    const menu = buildTrayMenu(rows, { paused: false, maxPorts: 2 });
    expect(labels(menu).slice(0, 4)).toEqual(['node (PID 1234)', '1/tcp', '2/tcp', 'More… (1 more)']);
  });

  it('names every holder of a pre-fork port in one label, and a hidden socket by its user', () => {
    const parent = row({ name: 'gunicorn', startId: '7' });
    const proc = (pid: number) => ({ ...(parent.process as NonNullable<SocketRow['process']>), ppid: pid });
    const owners = [
      { pid: 1234, process: parent.process },
      { pid: 1235, process: proc(1234) },
      { pid: 1236, process: proc(1234) },
    ];
    const menu = buildTrayMenu([{ ...parent, owners }], { paused: false });
    expect(menu[0]?.label).toBe('gunicorn +2 workers (PID 1234)');
    const hidden = row({ pid: null, process: null, localPort: 5432, inode: 77, user: 'postgres', uid: 70 });
    expect(buildTrayMenu([hidden], { paused: false })[0]?.label).toBe(
      'not visible (a socket of user postgres)',
    );
    // Root sees every process of its namespace: a hidden holder is in another PID namespace.
    // (cut to the menu's label length)
    expect(buildTrayMenu([hidden], { paused: false, privileged: true })[0]?.label).toMatch(
      /^not visible \(a socket of user postgres in anoth…$/,
    );
  });

  it('disables Open in browser for UDP and Kill… when the owner is not visible', () => {
    const menu = buildTrayMenu(
      [row({ protocol: 'udp', state: 'UNCONN', localPort: 5353, pid: null, process: null })],
      { paused: false },
    );
    expect(menu[0]?.label).toBe('not visible (another user’s process)');
    const sub = menu[1]?.submenu ?? [];
    expect(sub.map((i) => i.enabled)).toEqual([false, undefined, false]);
    expect(actions(sub)).toEqual([{ kind: 'copy-address', address: 'localhost:5353' }]);
  });

  it('never carries an unvalidated port or PID into an action', () => {
    const bad = [
      row({ localPort: 0 }),
      row({ localPort: 70000 }),
      row({ localPort: 1.5 }),
      row({ pid: -1, localPort: 4000 }),
      row({ pid: 2.5, localPort: 4001 }),
    ];
    const menu = buildTrayMenu(bad, { paused: false });
    for (const a of actions(menu)) {
      if (a.kind === 'open-port' || a.kind === 'kill') {
        expect(Number.isInteger(a.port) && a.port >= 1 && a.port <= 65535).toBe(true);
      }
      if (a.kind === 'kill') expect(Number.isInteger(a.target.pid) && a.target.pid > 0).toBe(true);
    }
    expect(actions(menu).filter((a) => a.kind === 'kill')).toEqual([]);
    expect(countListeningPorts(bad)).toBe(5);
  });

  it('renders hostile process names as plain, short text', () => {
    const menu = buildTrayMenu([row({ name: `evil\u0007\u202e&${'x'.repeat(100)}` })], { paused: false });
    const label = menu[0]?.label ?? '';
    expect([...label].some((c) => c.charCodeAt(0) < 0x20 || c === '\u202e')).toBe(false);
    expect(label.startsWith('evil&&x')).toBe(true);
    expect(label.length).toBeLessThan(70);
  });
});

describe('labels and addresses', () => {
  it('counts distinct listening ports in the tooltip', () => {
    const rows = [row(), row({ family: 6, localAddress: '::' }), row({ localPort: 5173 })];
    expect(trayTooltip(rows, { paused: false })).toBe('2 ports listening');
    expect(trayTooltip([row()], { paused: false })).toBe('1 port listening');
    expect(trayTooltip([], { paused: true })).toBe('0 ports listening (updates paused)');
  });

  it('copies a reachable address', () => {
    expect(copyableAddress('0.0.0.0', 80)).toBe('localhost:80');
    expect(copyableAddress('::', 80)).toBe('localhost:80');
    expect(copyableAddress('127.0.0.1', 80)).toBe('127.0.0.1:80');
    expect(copyableAddress('::1', 80)).toBe('[::1]:80');
  });

  it('doubles ampersands so Windows does not eat them as mnemonics', () => {
    expect(menuText('R&D')).toBe('R&&D');
  });

  it('drops every character in the shared unsafe list, separators and bidi marks included', () => {
    for (const ch of [
      '\u0007',
      '\u009b',
      '\u2028',
      '\u2029',
      '\u200e',
      '\u061c',
      '\u202e',
      '\u2066',
      '\u200b',
    ]) {
      expect(menuText(`ev${ch}il`), ch.codePointAt(0)?.toString(16)).toBe('evil');
    }
  });
});
