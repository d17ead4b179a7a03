import { afterEach, describe, expect, it } from 'vitest';
import type { SocketRow } from '../../../shared/model';
import { holdsPort } from '../../../shared/socket-rules';
import { completeRow } from '../../../shared/testing/rows';
import { createEngine } from '../engine/engine';
import {
  alive,
  cleanupChildren,
  identityOf,
  listenerScript,
  spawnNode,
  spawnReady,
  trackPid,
} from '../testing/kill-children';
import { createKiller } from './index';

const GRACE = 800;
afterEach(cleanupChildren);

describe('tree kill', () => {
  it('ends sh → node → sleep, all of them, after listing them in the plan', async () => {
    // node starts a sleep and reports both PIDs; sh stays alive around it (the `; :` keeps sh from exec'ing).
    const nodeScript = `const c = require('node:child_process').spawn('sleep', ['1000'], { stdio: 'ignore' }); console.log(JSON.stringify({ node: process.pid, sleep: c.pid })); setInterval(() => {}, 1000);`;
    const sh = await spawnReady('sh', ['-c', `"${process.execPath}" -e "$0"; :`, nodeScript]);
    const nodePid = sh.ready.node as number;
    const sleepPid = sh.ready.sleep as number;
    trackPid(nodePid);
    trackPid(sleepPid);

    const killer = createKiller({ graceMs: GRACE });
    const target = await identityOf(sh.pid);
    const plan = await killer.plan(target, true, []);
    expect(plan.refused).toBeNull();
    expect(plan.children.map((c) => c.pid)).toEqual([nodePid, sleepPid]); // parents before children
    expect(plan.children[1]?.name).toBe('sleep');

    const res = await killer.kill({ target, force: false, tree: true, elevate: false });
    expect(res.outcome).toBe('exited');
    expect(res.signals.map((s) => s.pid)).toEqual([sh.pid, nodePid, sleepPid]);
    expect(res.signals.every((s) => s.signal === 'SIGTERM')).toBe(true);
    expect([sh.pid, nodePid, sleepPid].filter(alive)).toEqual([]);
  });

  it('a tree with a member that traps SIGTERM: still-running names how many survive; force ends them', async () => {
    const script = `process.on('SIGTERM', () => {}); const c = require('node:child_process').spawn('sleep', ['1000'], { stdio: 'ignore' }); console.log(JSON.stringify({ sleep: c.pid })); setInterval(() => {}, 1000);`;
    const parent = await spawnNode(script);
    const sleepPid = parent.ready.sleep as number;
    trackPid(sleepPid);
    const killer = createKiller({ graceMs: 400 });
    const target = await identityOf(parent.pid);
    const soft = await killer.kill({ target, force: false, tree: true, elevate: false });
    expect(soft.outcome).toBe('still-running');
    expect(soft.message).toMatch(/^1 of 2 processes in the tree of node \(PID \d+\) is still running/);
    expect(alive(sleepPid)).toBe(false); // sleep obeyed SIGTERM
    const hard = await killer.kill({ target, force: true, tree: true, elevate: false });
    expect(hard.outcome).toBe('exited');
    expect(hard.signals).toEqual([{ pid: parent.pid, signal: 'SIGKILL' }]);
    expect((await parent.exited).signal).toBe('SIGKILL');
  });

  it('without tree, ends only the target and leaves its child running', async () => {
    const script = `const c = require('node:child_process').spawn('sleep', ['1000'], { stdio: 'ignore' }); console.log(JSON.stringify({ sleep: c.pid })); setInterval(() => {}, 1000);`;
    const parent = await spawnNode(script);
    const sleepPid = parent.ready.sleep as number;
    trackPid(sleepPid);
    const res = await createKiller({ graceMs: GRACE }).kill({
      target: await identityOf(parent.pid),
      force: false,
      tree: false,
      elevate: false,
    });
    expect(res.outcome).toBe('exited');
    expect(alive(sleepPid)).toBe(true);
  });
});

/** Two free ports P and P*10+1 (both ≤ 65535), e.g. 3001 and 30011: "P" is inside the other's digits. */
async function twoListeners() {
  for (let attempt = 0; attempt < 20; attempt++) {
    const p = 2000 + Math.floor(Math.random() * 4500);
    const a = await spawnNode(listenerScript(p));
    if (a.ready.error) continue;
    const b = await spawnNode(listenerScript(p * 10 + 1));
    if (b.ready.error) {
      a.proc.kill();
      continue;
    }
    return { p, a, b };
  }
  throw new Error('no free port pair found');
}

describe('kill by port, exact match', () => {
  it('targets only the owner of P, never the listener on a port whose digits contain P', async () => {
    const { p, a, b } = await twoListeners();
    const { rows } = await createEngine().collect('listening');
    // TCP only: other programs on this machine may hold a UDP socket with the same number.
    const tcp = (port: number) => rows.filter((r) => holdsPort(r, port, 'tcp'));
    const holders = tcp(p);
    expect(holders.map((r) => r.pid)).toEqual([a.pid]);
    expect(tcp(p * 10 + 1).map((r) => r.pid)).toEqual([b.pid]);

    const row = holders[0] as SocketRow;
    const killer = createKiller({ graceMs: GRACE });
    const startId = row.process?.startId as string;
    const plan = await killer.plan({ pid: a.pid, startId }, false, rows);
    expect(plan.sockets.map((s) => s.localPort)).toEqual([p]);
    const res = await killer.kill({
      target: { pid: a.pid, startId },
      force: false,
      tree: false,
      elevate: false,
      ports: [{ protocol: 'tcp', port: p }],
    });
    expect(res.outcome).toBe('port-released');
    expect(alive(a.pid)).toBe(false);
    expect(alive(b.pid)).toBe(true);
  });

  it('never returns clients connected to the port, only the listener', () => {
    const base = { family: 4 as const, localAddress: '127.0.0.1', service: null, process: null };
    const rows: SocketRow[] = [
      completeRow({
        ...base,
        key: 'l',
        protocol: 'tcp',
        localPort: 3000,
        remoteAddress: null,
        remotePort: null,
        state: 'LISTEN',
        pid: 10,
      }),
      completeRow({
        ...base,
        key: 'c',
        protocol: 'tcp',
        localPort: 51000,
        remoteAddress: '127.0.0.1',
        remotePort: 3000,
        state: 'ESTABLISHED',
        pid: 11,
      }),
      completeRow({
        ...base,
        key: 'a',
        protocol: 'tcp',
        localPort: 3000,
        remoteAddress: '127.0.0.1',
        remotePort: 51000,
        state: 'ESTABLISHED',
        pid: 10,
      }),
      completeRow({
        ...base,
        key: 'u',
        protocol: 'udp',
        localPort: 3000,
        remoteAddress: null,
        remotePort: null,
        state: 'UNCONN',
        pid: 12,
      }),
      completeRow({
        ...base,
        key: 'x',
        protocol: 'tcp',
        localPort: 30001,
        remoteAddress: null,
        remotePort: null,
        state: 'LISTEN',
        pid: 13,
      }),
    ];
    expect(rows.filter((r) => holdsPort(r, 3000)).map((r) => r.key)).toEqual(['l', 'u']);
  });
});
