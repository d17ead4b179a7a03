import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, parseRequest } from '../../../shared/contract';
import { parsePid, parsePort } from '../../../shared/validate';
import {
  alive,
  cleanupChildren,
  identityOf,
  listenerScript,
  spawnNode,
  trackPid,
} from '../testing/kill-children';
import { isWindowsCritical, refusalReason } from './guard';
import { createKiller } from './index';
import { type ProcEntry, parseStat } from './proc-table';
import { descendantsOf } from './tree';

afterEach(cleanupChildren);

describe('refusals: nothing is sent', () => {
  const killer = createKiller({ graceMs: 300 });
  const cases: [string, unknown][] = [
    ['0 (process group)', 0],
    ['1 (init)', 1],
    ['-1 (every process)', -1],
    ['our own PID', process.pid],
    ['our parent', process.ppid],
    ['a fraction', 1.5],
    ['NaN', Number.NaN],
    ['a string', '123'],
  ];
  for (const [name, pid] of cases) {
    it(`refuses ${name}`, async () => {
      const target = { pid: pid as number, startId: '12345' };
      const res = await killer.kill({ target, force: true, tree: false, elevate: false });
      expect(res.outcome).toBe('refused');
      expect(res.signals).toEqual([]);
      expect(res.message).toMatch(/^Refused: .+Nothing was sent\.$/);
      const plan = await killer.plan(target, false, []);
      expect(plan.refused).not.toBeNull();
    });
  }

  it('refuses PIDs the host protects (the web server, Electron helpers), and the child lives', async () => {
    const child = await spawnNode(listenerScript(0));
    const guarded = createKiller({ graceMs: 300, protectedPids: () => [child.pid] });
    const res = await guarded.kill({
      target: await identityOf(child.pid),
      force: true,
      tree: false,
      elevate: false,
    });
    expect(res.outcome).toBe('refused');
    expect(res.message).toMatch(/part of Portscope/);
    expect(alive(child.pid)).toBe(true);
  });

  it('refuses a whole tree kill when one descendant is protected; nobody is signalled', async () => {
    const script = `const c = require('node:child_process').spawn('sleep', ['1000'], { stdio: 'ignore' }); console.log(JSON.stringify({ sleep: c.pid })); setInterval(() => {}, 1000);`;
    const parent = await spawnNode(script);
    const sleepPid = parent.ready.sleep as number;
    trackPid(sleepPid);
    const guarded = createKiller({ graceMs: 300, protectedPids: () => [sleepPid] });
    const res = await guarded.kill({
      target: await identityOf(parent.pid),
      force: false,
      tree: true,
      elevate: false,
    });
    expect(res.outcome).toBe('refused');
    expect(res.message).toMatch(/tree includes/);
    expect(res.signals).toEqual([]);
    expect(alive(parent.pid) && alive(sleepPid)).toBe(true);
  });

  it('refuses a kernel thread (found by its PF_KTHREAD flag, not by its PID)', async (ctx) => {
    const kthread = readdirSync('/proc')
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .find((pid) => {
        try {
          return parseStat(pid, readFileSync(`/proc/${pid}/stat`, 'utf8'))?.kernel === true;
        } catch {
          return false;
        }
      });
    if (kthread === undefined) return ctx.skip(); // no kernel threads visible (a PID namespace)
    const res = await killer.kill({
      target: await identityOf(kthread),
      force: true,
      tree: false,
      elevate: false,
    });
    expect(res.outcome).toBe('refused');
    expect(res.message).toMatch(/kernel thread/);
    expect(res.signals).toEqual([]);
  });

  it('refuses the critical Windows processes by name, whatever the case or suffix', () => {
    const ctx = { platform: 'win32' as const, selfPid: 10, ancestors: [], protectedPids: [] };
    for (const name of [
      'System',
      'csrss.exe',
      'WININIT.EXE',
      'smss',
      'services.exe',
      'lsass.exe',
      'svchost.exe',
    ]) {
      expect(isWindowsCritical(name)).toBe(true);
      const entry: ProcEntry = { pid: 700, ppid: 4, name, command: '', startId: 's:x', state: '' };
      expect(refusalReason(700, entry, ctx)).toMatch(/critical Windows process/);
    }
    expect(isWindowsCritical('node.exe')).toBe(false);
    expect(isWindowsCritical('svchost-helper.exe')).toBe(false);
  });

  it('outside Linux, does not count a "child" that started before its parent (a reused parent PID)', () => {
    const e = (pid: number, ppid: number, started: string): ProcEntry => ({
      pid,
      ppid,
      name: `p${pid}`,
      command: '',
      startId: `s:${started}`,
      state: '',
    });
    const root = e(100, 1, '2026-01-02 10:00:00');
    const table = [
      root,
      e(200, 100, '2026-01-02 10:00:05'),
      e(300, 100, '2026-01-01 09:00:00'),
      e(400, 200, '2026-01-02 10:01:00'),
    ];
    expect(descendantsOf(root, table, false).map((d) => d.pid)).toEqual([200, 400]);
  });
});

describe('hostile input is stopped at the boundary, with no side effect', () => {
  const hostile: unknown[] = [
    '80; touch x',
    '$(id)',
    '0x50',
    '1e3',
    ' 80',
    '80 ',
    '+80',
    '-80',
    0,
    -1,
    1.5,
    [80],
    { pid: 80 },
    null,
    true,
    '٨٠',
  ];

  it('the kill:run schema rejects each of them as a PID', async () => {
    const child = await spawnNode(listenerScript(0));
    const { startId } = await identityOf(child.pid);
    for (const pid of hostile) {
      expect(() => parseRequest('kill:run', { target: { pid, startId } }), String(pid)).toThrow(ApiError);
    }
    // Unknown fields and a hostile start id are rejected too.
    expect(() => parseRequest('kill:run', { target: { pid: child.pid, startId }, cmd: 'rm -rf /' })).toThrow(
      ApiError,
    );
    expect(() => parseRequest('kill:run', { target: { pid: child.pid, startId: 'x'.repeat(65) } })).toThrow(
      ApiError,
    );
    expect(() => parseRequest('kill:run', [child.pid])).toThrow(ApiError);
    // 65536 is a possible PID, but never a port.
    for (const port of [...hostile, 65536, '65536'])
      expect(() => parseRequest('port:open', { port })).toThrow(ApiError);
    expect(existsSync('x')).toBe(false);
    expect(alive(child.pid)).toBe(true);
  });

  it('the text parsers (used by the CLI) reject each of them as a port or PID', () => {
    for (const text of [...hostile, 65536, '65536']) {
      expect(parsePort(text), String(text)).toBeNull();
      if (text !== '65536') expect(parsePid(text), String(text)).toBeNull();
    }
    expect(parsePort(':80')).toBe(80);
    expect(parsePid('80')).toBe(80);
  });

  it('the engine itself refuses shapes the contract would never pass', async () => {
    const killer = createKiller({ graceMs: 300 });
    const bad = [{ pid: '80; touch x', startId: '1' }, { pid: 80 }, null, { pid: [80], startId: '1' }];
    for (const target of bad) {
      // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong shapes, as an untyped caller could send.
      const res = await killer.kill({ target: target as any, force: true, tree: true, elevate: false });
      expect(res.outcome).toBe('refused');
      expect(res.signals).toEqual([]);
    }
    expect(existsSync('x')).toBe(false);
  });
});
