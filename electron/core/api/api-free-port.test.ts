import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/contract';
import type { FreePortPlan, FreePortResult, Snapshot } from '../../../shared/model';
import { holdsPort } from '../../../shared/socket-rules';
import { createKiller } from '../kill';
import { Monitor } from '../monitor/monitor';
import { type Listener, spawnListener } from '../testing/children';
import { identityOf } from '../testing/kill-children';
import { type ApiClient, createApi } from './api';

/** port:free-plan and port:free through the api, on the real Monitor, killer and listeners. */

let monitor: Monitor;
let api: ApiClient;
const children: Listener[] = [];

beforeAll(async () => {
  monitor = new Monitor({ intervalMs: 250 });
  monitor.start();
  const core = createApi({
    monitor,
    killer: createKiller({ graceMs: 1000, protectedPids: () => [process.pid] }),
  });
  api = core.connect(() => {});
  await monitor.ready();
});
afterAll(() => monitor.stop());
afterEach(() => {
  for (const c of children.splice(0)) c.kill();
});

/** A listener the monitor has shown (so its identity counts as seen). */
async function shownListener(): Promise<Listener> {
  const l = await spawnListener({ name: 'api-free' });
  children.push(l);
  const shown = (s: Snapshot | null) => s?.rows.some((r) => holdsPort(r, l.port, 'tcp') && r.pid === l.pid);
  while (!shown(monitor.current())) await nextPoll();
  return l;
}

/** Resolves on the monitor's next delta (a poll that changed something), never on a timer. */
function nextPoll(): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const view = monitor.subscribe({ scope: 'listening' }, (ev) => {
      if (ev.type !== 'delta' || done) return;
      done = true;
      queueMicrotask(() => view.close());
      resolve();
    });
  });
}

describe('port:free-plan and port:free', () => {
  it('plans from the monitor’s rows, frees the port for the identities shown, and reports port-free', async () => {
    const l = await shownListener();
    const plan = (await api.invoke('port:free-plan', { port: l.port, protocol: 'tcp' })) as FreePortPlan;
    expect(plan.refused).toBeNull();
    expect(plan.roots.map((r) => r.target.pid)).toEqual([l.pid]);
    const seen = plan.roots.map((r) => r.target);
    const res = (await api.invoke('port:free', { port: l.port, protocol: 'tcp', seen })) as FreePortResult;
    expect(res.outcome).toBe('port-free');
    expect(res.message).toBe(`Port ${l.port}/tcp is free: ended api-free (PID ${l.pid}).`);
  });

  it('refuses identities the monitor has not shown for that port, and the holder lives', async () => {
    const l = await shownListener();
    const real = await identityOf(l.pid);
    for (const seen of [
      [{ pid: l.pid, startId: `${real.startId}0` }],
      [{ pid: process.ppid, startId: '1' }],
    ]) {
      const res = (await api.invoke('port:free', { port: l.port, protocol: 'tcp', seen })) as FreePortResult;
      expect(res.outcome).toBe('refused');
      expect(res.message).toContain('has not shown this process');
    }
    expect(l.child.exitCode).toBeNull();
    await expect(api.invoke('port:free', { port: l.port, seen: [] })).rejects.toBeInstanceOf(ApiError);
  });
});
