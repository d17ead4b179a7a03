import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessIdentity } from '../../../shared/model';
import {
  alive,
  cleanupChildren,
  identityOf,
  listenerScript,
  procState,
  spawnListener,
  spawnNode,
  trackPid,
} from '../testing/kill-children';
import { createKiller, type KillRequest } from './index';

const GRACE = 600;

/** A kill with the dialog's defaults (no force, no tree, no elevation); `over` changes any of them. */
function plainKill(target: ProcessIdentity, over: Partial<KillRequest> = {}, graceMs = GRACE) {
  return createKiller({ graceMs }).kill({ target, force: false, tree: false, elevate: false, ...over });
}
afterEach(cleanupChildren);

describe('graceful kill of a real child', () => {
  it('ends a child that exits on SIGTERM and reports its port released', async () => {
    const child = await spawnListener();
    const port = child.ready.port as number;
    const res = await plainKill(await identityOf(child.pid), { ports: [{ protocol: 'tcp', port }] });
    expect(res.message).toContain(`${port}/tcp is free`);
    expect(res.outcome).toBe('port-released');
    expect(res.signals).toEqual([{ pid: child.pid, signal: 'SIGTERM' }]);
    expect(res.message).toContain(`${port}/tcp is free`);
    expect((await child.exited).signal).toBe('SIGTERM');
  });

  it('reports still-running for a child that traps SIGTERM, and SIGKILLs only when forced', async () => {
    const child = await spawnNode(listenerScript(0, { trapTerm: true }));
    const killer = createKiller({ graceMs: GRACE });
    const target = await identityOf(child.pid);
    // That it waits the whole grace period is timing: wait-gone.test.ts checks it on fake timers.
    const first = await killer.kill({ target, force: false, tree: false, elevate: false });
    expect(first.outcome).toBe('still-running');
    expect(first.canForce).toBe(true);
    expect(first.signals).toEqual([{ pid: child.pid, signal: 'SIGTERM' }]);
    expect(alive(child.pid)).toBe(true);

    const second = await killer.kill({ target, force: true, tree: false, elevate: false });
    expect(second.outcome).toBe('exited');
    expect(second.signals).toEqual([{ pid: child.pid, signal: 'SIGKILL' }]);
    expect((await child.exited).signal).toBe('SIGKILL');
  });

  it('wakes a stopped child with SIGCONT so SIGTERM can end it', async () => {
    const child = await spawnNode(listenerScript(0));
    process.kill(child.pid, 'SIGSTOP');
    while (procState(child.pid) !== 'T') await new Promise((r) => setTimeout(r, 10));
    const res = await plainKill(await identityOf(child.pid));
    expect(res.outcome).toBe('exited');
    expect(res.signals).toEqual([
      { pid: child.pid, signal: 'SIGTERM' },
      { pid: child.pid, signal: 'SIGCONT' },
    ]);
    expect((await child.exited).signal).toBe('SIGTERM');
  });

  it('reports a bound UDP socket released', async () => {
    const child = await spawnListener({ udp: true });
    const port = child.ready.port as number;
    const res = await plainKill(await identityOf(child.pid), { ports: [{ protocol: 'udp', port }] });
    expect(res.outcome).toBe('port-released');
    expect(res.message).toContain(`${port}/udp is free`);
  });

  it('a process that closes its port on SIGTERM but keeps draining: still running, port free', async () => {
    const child = await spawnListener({
      extra: `process.on('SIGTERM', () => s.close()); setInterval(() => {}, 1000);`,
    });
    const port = child.ready.port as number;
    const res = await plainKill(await identityOf(child.pid), { ports: [{ protocol: 'tcp', port }] });
    expect(res.outcome).toBe('still-running');
    expect(res.message).toContain(`Port ${port}/tcp is free already.`);
    expect(alive(child.pid)).toBe(true);
  });

  it('waits for every thread of a process nobody reaps before calling its port released', async () => {
    // The parent blocks its event loop, so the listener it started stays a zombie once it exits.
    // A zombie leader whose other threads are still exiting still holds its sockets.
    let parent = await spawnNode('console.log(JSON.stringify({ error: "none yet" }))');
    for (let i = 0; i < 20 && parent.ready.error; i++) {
      const listener = JSON.stringify(listenerScript(10000 + Math.floor(Math.random() * 10000)));
      parent = await spawnNode(
        `require('node:child_process').spawn(process.execPath, ['-e', ${listener}], { stdio: 'inherit' }); setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0), 50);`,
      );
    }
    const pid = parent.ready.pid as number;
    trackPid(pid);
    const port = parent.ready.port as number;
    const res = await plainKill(await identityOf(pid), { ports: [{ protocol: 'tcp', port }] }, 3000);
    expect(res.message).toContain(`${port}/tcp is free`);
    expect(res.outcome).toBe('port-released');
    expect(procState(pid)).toBe('Z'); // not reaped: gone as a process, still in /proc
  });

  it('answers not-found for a process that already exited, sending nothing', async () => {
    const child = await spawnNode(listenerScript(0));
    const target = await identityOf(child.pid);
    child.proc.kill('SIGKILL');
    await child.exited;
    const res = await createKiller({ graceMs: GRACE }).kill({
      target,
      force: false,
      tree: false,
      elevate: false,
    });
    expect(res.outcome).toBe('not-found');
    expect(res.signals).toEqual([]);
    expect(res.message).toMatch(/already exited/);
  });
});

describe('identity', () => {
  it('sends nothing when the start time differs (PID reused), and the child keeps running', async () => {
    const child = await spawnNode(listenerScript(0));
    const real = await identityOf(child.pid);
    const stale = { pid: child.pid, startId: String(Number(real.startId) - 1) };
    const killer = createKiller({ graceMs: GRACE });
    for (const force of [false, true]) {
      const res = await killer.kill({ target: stale, force, tree: false, elevate: false });
      expect(res.outcome).toBe('changed');
      expect(res.signals).toEqual([]);
    }
    const plan = await killer.plan(stale, false, []);
    expect(plan.refused).toMatch(/different process/);
    expect(alive(child.pid)).toBe(true);
    expect(child.proc.exitCode).toBeNull();
  });
});
