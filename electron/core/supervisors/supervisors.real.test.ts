import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { SocketRow } from '../../../shared/model';
import { createBehindActions } from '../containers/behind-actions';
import { freePort, ssListening } from '../containers/testing/docker';
import { createEngine } from '../engine/engine';
import { createKiller } from '../kill';
import { type Supervised, startRespawner, startSupervisord } from './testing/supervised';

/** Real supervisord (its own config and socket) and a real respawning parent; kills are real. */
const engine = createEngine();
const collect = async () => (await engine.collect('listening')).rows;
const started: Supervised[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop();
});

async function holderRow(port: number, ms = 30_000, parent?: number): Promise<SocketRow> {
  const end = Date.now() + ms;
  for (;;) {
    const row = (await collect()).find(
      (r) =>
        r.localPort === port && r.state === 'LISTEN' && r.process && (!parent || r.process.ppid === parent),
    );
    if (row) return row;
    if (Date.now() > end) throw new Error(`nothing listened on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Free the port as a front door would: plan, then end exactly the holders shown. */
async function freeAsShown(port: number) {
  const killer = createKiller({ collectListening: collect, graceMs: 3000 });
  const plan = await killer.planFreePort(port, null, await collect());
  const seen = plan.roots.flatMap((r) => [
    r.target,
    ...r.children.map((c) => ({ pid: c.pid, startId: c.startId })),
  ]);
  return killer.freePort({ port, protocol: null, seen, force: false, elevate: false });
}

describe('supervisors (real supervisord, a real respawning parent)', () => {
  it('supervisord: the row names the program; kill says restarted by it; Stop service frees the port', async (ctx) => {
    const port = await freePort();
    const sup = startSupervisord('pyweb', port);
    if ('skip' in sup) {
      console.log(`skipped: ${sup.skip}`);
      return ctx.skip();
    }
    started.push(sup);
    const row = await holderRow(port);
    expect(row.process?.supervisor).toEqual({ kind: 'supervisord', name: 'pyweb' });

    const res = await freeAsShown(port);
    expect(res.outcome).toBe('restarted');
    expect(res.restartedBy).toEqual({ kind: 'supervisord', name: 'pyweb' });
    expect(res.message).toMatch(/taken again: restarted by supervisord program pyweb/);
    expect(await ssListening(port)).toBe(true);

    const stop = await createBehindActions({ collect }).stopService({
      port,
      protocol: null,
      supervisor: { kind: 'supervisord', name: 'pyweb' },
      elevate: false,
    });
    expect(stop.outcome, stop.message).toBe('stopped');
    expect(await ssListening(port)).toBe(false);
    // supervisorctl (the real one) agrees the program is stopped.
    const status = spawnSync('supervisorctl', ['-c', sup.conf as string, 'status', 'pyweb'], {
      encoding: 'utf8',
    });
    expect(status.stdout).toMatch(/pyweb\s+STOPPED/);
  }, 60_000);

  it('a plain respawning parent is detected: kill says restarted by its parent', async () => {
    const port = await freePort();
    const parent = startRespawner(port);
    started.push(parent);
    // Waits for the respawner's own child (a port picked free can be taken by another test meanwhile).
    const row = await holderRow(port, 30_000, parent.pid);
    expect(row.process?.ppid).toBe(parent.pid);
    const res = await freeAsShown(port);
    expect(res.outcome, res.message).toBe('restarted');
    expect(res.restartedBy).toEqual({ kind: 'parent', name: `python3 (PID ${parent.pid})` });
    expect(res.message).toMatch(/restarted by its parent python3/);
  }, 60_000);

  it('a holder without a supervisor frees the port without waiting for a restart', async () => {
    const port = await freePort();
    const { spawn } = await import('node:child_process');
    const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], {
      stdio: 'ignore',
    });
    try {
      await holderRow(port);
      const res = await freeAsShown(port);
      expect(res.outcome).toBe('port-free');
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
