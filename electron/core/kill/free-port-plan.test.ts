import { afterEach, describe, expect, it } from 'vitest';
import type { Owner, SocketRow } from '../../../shared/model';
import { testRow } from '../../../shared/testing/rows';
import { createEngine } from '../engine/engine';
import { cleanupChildren, identityOf, listenerScript, spawnNode } from '../testing/kill-children';
import { closeAll, openTcp, portOf } from '../testing/sockets';
import { topmostHolders } from './free-port-plan';
import { createKiller } from './index';

afterEach(cleanupChildren);

/** PIDs above the kernel's largest pid_max (2^22): no process can ever have them. */
const MASTER = 5_000_001;
const W1 = 5_000_002;
const W2 = 5_000_003;
const OTHER = 5_000_010;

function owner(pid: number, ppid: number, name = 'nginx'): Owner {
  const base = testRow(1, { pid, name }).process;
  return { pid, process: base && { ...base, startId: `s${pid}`, ppid } };
}

function held(port: number, owners: Owner[], over: Partial<SocketRow> = {}): SocketRow {
  const first = owners[0];
  return testRow(port, {
    key: `tcp:i${port}${over.localAddress ?? ''}${first?.pid ?? 'x'}`,
    pid: first?.pid ?? null,
    process: first?.process ?? null,
    owners,
    ...over,
  });
}

const killer = createKiller();

describe('planFreePort: who holds the port', () => {
  it('a pre-fork server is one root (the master); its workers are in its tree, not roots', async () => {
    const master = owner(MASTER, 1);
    const rows = [
      held(8080, [master, owner(W1, MASTER), owner(W2, MASTER)]),
      held(8080, [master], { localAddress: '::', family: 6 }),
      held(9090, [owner(OTHER, 1, 'node')]),
    ];
    const plan = await killer.planFreePort(8080, 'tcp', rows);
    expect(plan.sockets).toHaveLength(2);
    expect(plan.roots.map((r) => r.target)).toEqual([{ pid: MASTER, startId: `s${MASTER}` }]);
    expect(plan.hidden).toEqual([]);
    // No such PID exists, so the tree kill is refused with the reason, as every kill would be.
    expect(plan.roots[0]?.refused).toBe(`PID ${MASTER} is no longer running.`);
    expect(plan.refused).toBe(`nginx (PID ${MASTER}): PID ${MASTER} is no longer running.`);
  });

  it('unrelated holders (SO_REUSEPORT in two processes) are two roots', async () => {
    const rows = [
      held(53, [owner(MASTER, 1, 'dns')]),
      held(53, [owner(OTHER, 1, 'dns')], { localAddress: '::' }),
    ];
    const plan = await killer.planFreePort(53, null, rows);
    expect(plan.roots.map((r) => r.target.pid)).toEqual([MASTER, OTHER]);
  });

  it('only listeners on exactly that port and protocol count: not clients, not 80801, not UDP for tcp', async () => {
    const rows = [
      held(8080, [owner(MASTER, 1)]),
      held(80801, [owner(W1, 1)]),
      held(8080, [owner(W2, 1)], { state: 'ESTABLISHED', remoteAddress: '127.0.0.1', remotePort: 40000 }),
      held(8080, [owner(OTHER, 1)], { protocol: 'udp', state: 'UNCONN' }),
    ];
    const tcp = await killer.planFreePort(8080, 'tcp', rows);
    expect(tcp.roots.map((r) => r.target.pid)).toEqual([MASTER]);
    const any = await killer.planFreePort(8080, null, rows);
    expect(any.roots.map((r) => r.target.pid)).toEqual([MASTER, OTHER]);
  });

  it('a socket whose holder this user cannot see is listed as hidden, named by its user, and refused', async () => {
    const rows = [held(5432, [], { inode: 777, uid: 26, user: 'postgres' })];
    expect(rows[0]?.holder).toBe('hidden');
    const plan = await killer.planFreePort(5432, 'tcp', rows);
    expect(plan.roots).toEqual([]);
    expect(plan.hidden).toHaveLength(1);
    expect(plan.refused).toBe(
      'Port 5432/tcp is held by a process of user postgres that you cannot see; run Portscope as that user or as root to end it.',
    );
  });

  it('a port nobody holds is refused with that reason', async () => {
    const plan = await killer.planFreePort(8080, 'tcp', [held(8081, [owner(MASTER, 1)])]);
    expect(plan.sockets).toEqual([]);
    expect(plan.refused).toBe('Nothing holds port 8080/tcp any more.');
  });

  it('PID 1 is refused as the root of a port it holds (no signal could be planned)', async () => {
    const plan = await killer.planFreePort(111, 'tcp', [held(111, [owner(1, 0, 'systemd')])]);
    expect(plan.roots[0]?.refused).toMatch(/PID 1 is the init process/);
    expect(plan.refused).toMatch(/^systemd \(PID 1\): PID 1 is the init process/);
  });
});

describe('topmostHolders', () => {
  it('walks through processes that hold nothing (a master whose workers are grandchildren)', () => {
    const parents = new Map([
      [3, 2],
      [2, 1],
      [1, null],
    ]);
    const roots = topmostHolders([owner(3, 2), owner(1, 0)], (pid) => parents.get(pid) ?? null);
    expect(roots.map((o) => o.pid)).toEqual([1]);
  });

  it('survives a parent loop in a stale table', () => {
    const roots = topmostHolders([owner(7, 8)], (pid) => (pid === 7 ? 8 : 7));
    expect(roots.map((o) => o.pid)).toEqual([7]);
  });
});

describe('refusals hold for a real port', () => {
  it('a port held by Portscope itself: refused, and freePort sends nothing', async () => {
    const server = await openTcp('127.0.0.1');
    try {
      const port = portOf(server);
      const rows = (await createEngine().collect('listening')).rows;
      const plan = await killer.planFreePort(port, 'tcp', rows);
      expect(plan.roots.map((r) => r.target.pid)).toEqual([process.pid]);
      expect(plan.refused).toContain('is Portscope itself');
      const seen = [await identityOf(process.pid)];
      const res = await killer.freePort({ port, protocol: 'tcp', seen, force: true, elevate: false });
      expect(res.outcome).toBe('refused');
      expect(res.results.flatMap((r) => r.signals)).toEqual([]);
      expect(res.message).toContain('is Portscope itself');
    } finally {
      await closeAll([server]);
    }
  });

  it('a port held by a PID the host protects: refused, and the holder lives', async () => {
    const child = await spawnNode(listenerScript(0));
    const guarded = createKiller({ protectedPids: () => [child.pid] });
    const port = child.ready.port as number;
    const rows = (await createEngine().collect('listening')).rows;
    const plan = await guarded.planFreePort(port, 'tcp', rows);
    expect(plan.refused).toContain(`PID ${child.pid} is part of Portscope`);
    const res = await guarded.freePort({
      port,
      protocol: 'tcp',
      seen: [await identityOf(child.pid)],
      force: false,
      elevate: false,
    });
    expect(res.outcome).toBe('refused');
    expect(child.proc.exitCode).toBeNull();
  });
});
