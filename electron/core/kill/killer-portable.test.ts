import { afterEach, describe, expect, it } from 'vitest';
import { readStartId } from '../processes/proc-identity';
import { alive, cleanupChildren, spawnListener, spawnNode, trackPid } from '../testing/kill-children';
import { createKiller } from './index';
import { parseEtime, parsePsLine, sameStart, startIdFromMs, startIdMs } from './proc-probe';

afterEach(cleanupChildren);

/**
 * The path macOS and Windows-less-taskkill take: identities, parents and liveness from
 * systeminformation's process list, ports from its connection list. systeminformation works on
 * Linux too, so running the killer with platform 'darwin' here exercises that code for real
 * (everything but the elevation prompt, which is per-platform text tested in killer-elevation).
 */
describe('portable (non-/proc) path, run for real with platform "darwin"', () => {
  const killer = createKiller({ graceMs: 1500, platform: 'darwin' });

  it('ends a listener identified by its systeminformation start time and reports the port free', async () => {
    const child = await spawnListener();
    const port = child.ready.port as number;
    const startId = (await readStartId(child.pid, 'darwin')) as string;
    expect(startId).toMatch(/^s:/);
    const res = await killer.kill({
      target: { pid: child.pid, startId },
      force: false,
      tree: false,
      elevate: false,
      ports: [{ protocol: 'tcp', port }],
    });
    expect(res.outcome).toBe('port-released');
    expect((await child.exited).signal).toBe('SIGTERM');
  });

  it('collects a tree from parent PIDs and refuses a mismatched identity', async () => {
    const script = `const c = require('node:child_process').spawn('sleep', ['1000'], { stdio: 'ignore' }); console.log(JSON.stringify({ sleep: c.pid })); setInterval(() => {}, 1000);`;
    const parent = await spawnNode(script);
    const sleepPid = parent.ready.sleep as number;
    trackPid(sleepPid);
    const startId = (await readStartId(parent.pid, 'darwin')) as string;
    const changed = await killer.kill({
      target: { pid: parent.pid, startId: 's:1999-01-01 00:00:00' },
      force: true,
      tree: true,
      elevate: false,
    });
    expect(changed.outcome, changed.message).toBe('changed');
    const plan = await killer.plan({ pid: parent.pid, startId }, true, []);
    expect(plan.children.map((c) => c.pid)).toEqual([sleepPid]);
    const res = await killer.kill({
      target: { pid: parent.pid, startId },
      force: false,
      tree: true,
      elevate: false,
    });
    expect(res.outcome).toBe('exited');
    expect(res.signals.map((s) => s.pid)).toEqual([parent.pid, sleepPid]);
    expect(alive(parent.pid) || alive(sleepPid)).toBe(false);
  });
});

describe('fresh probe outside Linux', () => {
  it('parses ps elapsed times and lines', () => {
    expect(parseEtime('05')).toBeNull();
    expect(parseEtime('01:05')).toBe(65);
    expect(parseEtime('2:01:05')).toBe(7265);
    expect(parseEtime('3-02:01:05')).toBe(3 * 86400 + 7265);
    expect(parseEtime('1e3:00')).toBeNull();
    expect(parsePsLine('    1 Ss       01:00 /sbin/launchd', 100_000)).toEqual({
      ppid: 1,
      state: 'S',
      startedMs: 40_000,
      name: '/sbin/launchd',
    });
    expect(parsePsLine('garbage', 0)).toBeNull();
  });

  it('compares start ids exactly on Linux and Windows, within 2 s elsewhere', () => {
    const t = new Date(2026, 0, 2, 3, 4, 5).getTime();
    expect(startIdFromMs(t)).toBe('s:2026-01-02 03:04:05');
    expect(startIdMs('s:2026-01-02 03:04:05')).toBe(t);
    const a = startIdFromMs(t);
    const b = startIdFromMs(t + 1000);
    const far = startIdFromMs(t + 5000);
    expect(sameStart(a, b, 'darwin')).toBe(true);
    expect(sameStart(a, far, 'darwin')).toBe(false);
    expect(sameStart(a, b, 'linux')).toBe(false);
    expect(sameStart(a, b, 'win32')).toBe(false);
    expect(sameStart('s:garbage', 's:garbage2', 'darwin')).toBe(false);
  });
});
