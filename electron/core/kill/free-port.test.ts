import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { holdsPort } from '../../../shared/socket-rules';
import { createEngine } from '../engine/engine';
import { alive, cleanupChildren, identityOf, spawnListener, trackPid } from '../testing/kill-children';
import { spawnPreFork } from '../testing/pre-fork';
import { createKiller } from './index';
import { waitGone } from './signal';

/**
 * Freeing a port against a real pre-fork server (python3: the master binds, two workers inherit
 * the listener), the real engine and real signals.
 */
afterEach(cleanupChildren);

const engine = createEngine();
const rowsNow = async () => (await engine.collect('listening')).rows;
const killer = createKiller({ graceMs: 2000, collectListening: rowsNow });

async function heldBy(port: number): Promise<number[]> {
  const rows = (await rowsNow()).filter((r) => holdsPort(r, port, 'tcp'));
  return [...new Set(rows.flatMap((r) => r.owners.map((o) => o.pid)))].sort((a, b) => a - b);
}

describe('free a port held by a pre-fork server', () => {
  it('plans the master as the one root with both workers in its tree, and frees the port', async () => {
    const server = await spawnPreFork();
    expect(await heldBy(server.port)).toEqual([server.pid, ...server.workers].sort((a, b) => a - b));

    const plan = await killer.planFreePort(server.port, 'tcp', await rowsNow());
    expect(plan.refused).toBeNull();
    expect(plan.roots.map((r) => r.target.pid)).toEqual([server.pid]);
    expect(plan.roots[0]?.children.map((c) => c.pid).sort()).toEqual([...server.workers].sort());
    expect(plan.hidden).toEqual([]);

    const seen = plan.roots
      .flatMap((r) => [r.target, ...r.children])
      .map((c) => ({ pid: c.pid, startId: c.startId }));
    const res = await killer.freePort({
      port: server.port,
      protocol: 'tcp',
      seen,
      force: false,
      elevate: false,
    });
    expect(res.outcome).toBe('port-free');
    expect(res.message).toBe(
      `Port ${server.port}/tcp is free: ended python3 (PID ${server.pid}) and 2 more processes of its tree.`,
    );
    expect(res.stillHeldBy).toEqual([]);
    expect((await server.exited).signal).toBe('SIGTERM');
    for (const w of server.workers) expect(alive(w)).toBe(false);
    expect(await heldBy(server.port)).toEqual([]);
  });

  it('a worker forked after the plan is not signalled: the port stays held and the result names it', async () => {
    const server = await spawnPreFork();
    const plan = await killer.planFreePort(server.port, 'tcp', await rowsNow());
    const seen = plan.roots
      .flatMap((r) => [r.target, ...r.children])
      .map((c) => ({ pid: c.pid, startId: c.startId }));
    expect(seen.map((s) => s.pid).sort()).toEqual([server.pid, ...server.workers].sort());

    const lines = createInterface({ input: server.proc.stdout as NodeJS.ReadableStream });
    const forked = new Promise<number>((resolve) => lines.once('line', (l) => resolve(JSON.parse(l).worker)));
    server.proc.kill('SIGUSR1');
    const late = await forked;
    trackPid(late);
    const lateId = await identityOf(late);

    const res = await killer.freePort({
      port: server.port,
      protocol: 'tcp',
      seen,
      force: false,
      elevate: false,
    });
    expect(res.outcome).toBe('still-held');
    expect(res.stillHeldBy.map((o) => o.pid)).toEqual([late]);
    expect(res.message).toContain(`still held by python3 (PID ${late})`);
    expect(res.results.flatMap((r) => r.signals.map((s) => s.pid))).not.toContain(late);
    expect(alive(late)).toBe(true);
    expect(await identityOf(late)).toEqual(lateId);
    for (const pid of [server.pid, ...server.workers]) expect(alive(pid)).toBe(false);
  });

  it('a port nobody holds any more is not-held and nothing is sent', async () => {
    const server = await spawnPreFork();
    const plan = await killer.planFreePort(server.port, 'tcp', await rowsNow());
    const ids = await Promise.all([server.pid, ...server.workers].map(identityOf));
    for (const { pid } of ids) process.kill(pid, 'SIGKILL');
    expect(await waitGone(ids, 5000, 'linux')).toEqual([]);
    const seen = plan.roots.map((r) => r.target);
    const res = await killer.freePort({
      port: server.port,
      protocol: 'tcp',
      seen,
      force: false,
      elevate: false,
    });
    expect(res.outcome).toBe('not-held');
    expect(res.results).toEqual([]);
  });

  it('a holder that ignores SIGTERM: still held, force offered, and each thing said once', async () => {
    const stubborn = await spawnListener({ trapTerm: true });
    const port = Number(stubborn.ready.port);
    const plan = await killer.planFreePort(port, 'tcp', await rowsNow());
    const res = await killer.freePort({
      port,
      protocol: 'tcp',
      seen: plan.roots.map((r) => r.target),
      force: false,
      elevate: false,
    });
    expect(res.outcome).toBe('still-held');
    expect(res.canForce).toBe(true);
    expect(alive(stubborn.pid)).toBe(true);
    // The process's own story already offers the force kill; the port's sentence must not repeat it.
    const times = (text: string) => res.message.split(text).length - 1;
    expect(times('Force kill ends it without letting it clean up.'), res.message).toBe(1);
    expect(times(`still held by node (PID ${stubborn.pid})`), res.message).toBe(1);
  });
});
