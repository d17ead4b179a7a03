import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/contract';
import type {
  Delta,
  KillPlan,
  KillResult,
  MonitorStatus,
  ProcessUsage,
  Snapshot,
} from '../../../shared/model';
import { createKiller } from '../kill';
import { Monitor } from '../monitor/monitor';
import { readStartId } from '../processes/proc-identity';
import { type Listener, spawnListener } from '../testing/children';
import { nextPolls } from '../testing/polls';
import { type ApiClient, createApi } from './api';

/** The api object against the real Monitor, the real kill engine and real listening children. */

let monitor: Monitor;
let api: ApiClient;
let pushed: Delta[] = [];
const opened: string[] = [];
const children: Listener[] = [];

beforeAll(async () => {
  monitor = new Monitor({ intervalMs: 250 });
  monitor.start();
  api = createApi({
    monitor,
    killer: createKiller({ graceMs: 500, protectedPids: () => [process.pid] }),
    openUrl: async (url) => {
      opened.push(url);
      return true;
    },
  }).connect((channel, payload) => {
    if (channel === 'delta') pushed.push(payload as Delta);
  });
  await monitor.ready();
});
afterAll(() => {
  api.close();
  monitor.stop();
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill();
});

async function listener(): Promise<Listener> {
  const l = await spawnListener({ name: 'api-fixture' });
  children.push(l);
  return l;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const rowFor = (s: Snapshot, port: number) =>
  s.rows.find((r) => r.protocol === 'tcp' && r.localPort === port && r.state === 'LISTEN');

async function expectApiError(p: Promise<unknown>, code: ApiError['code']): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  expect((e as ApiError).code).toBe(code);
  return e as ApiError;
}

describe('createApi', () => {
  it('serves snapshots and pushes the delta that adds a port the test opened', async () => {
    pushed = [];
    const l = await listener();
    const row = await waitFor('the listener in a snapshot', async () =>
      rowFor((await api.invoke('snapshot:get', {})) as Snapshot, l.port),
    );
    expect(row.pid).toBe(l.pid);
    expect(row.process?.name).toBe('api-fixture');
    await waitFor('a delta adding it', async () =>
      pushed.some((d) => d.added.some((r) => r.localPort === l.port)) ? true : undefined,
    );
  });

  it('pauses, resumes and changes the interval through validated requests', async () => {
    expect(((await api.invoke('monitor:pause', {})) as MonitorStatus).state).toBe('paused');
    expect(((await api.invoke('monitor:resume', undefined)) as MonitorStatus).state).toBe('polling');
    expect(
      ((await api.invoke('monitor:set-interval', { intervalMs: 400 })) as MonitorStatus).intervalMs,
    ).toBe(400);
    await api.invoke('monitor:set-interval', { intervalMs: 250 });
  });

  it('rejects bad payloads with ApiError and changes nothing', async () => {
    const before = (await api.invoke('monitor:status', {})) as MonitorStatus;
    await expectApiError(api.invoke('monitor:set-interval', { intervalMs: 5 }), 'invalid-request');
    await expectApiError(api.invoke('monitor:set-interval', { intervalMs: '1000' }), 'invalid-request');
    await expectApiError(api.invoke('monitor:pause', { now: true }), 'invalid-request');
    await expectApiError(api.invoke('monitor:set-scope', { scope: 'everything' }), 'invalid-request');
    await expectApiError(api.invoke('port:open', { port: '3000' }), 'invalid-request');
    await expectApiError(api.invoke('port:open', { port: 70000 }), 'invalid-request');
    await expectApiError(api.invoke('shell:exec', {}), 'unknown-channel');
    await expectApiError(api.invoke('__proto__', {}), 'unknown-channel');
    const after = (await api.invoke('monitor:status', {})) as MonitorStatus;
    expect(after.intervalMs).toBe(before.intervalMs);
    expect(after.state).toBe('polling');
    expect(opened).toEqual([]);
  });

  it('rejects hostile kill targets at the boundary; the child keeps running', async () => {
    const l = await listener();
    const startId = (await readStartId(l.pid)) as string;
    const hostile: unknown[] = [
      `${l.pid}; kill -9 ${l.pid}`,
      '$(id)',
      '0x50',
      '1e3',
      ` ${l.pid}`,
      [l.pid],
      { pid: l.pid },
      -1,
      0,
      1.5,
    ];
    for (const pid of hostile) {
      await expectApiError(
        api.invoke('kill:run', { target: { pid, startId }, force: true }),
        'invalid-request',
      );
    }
    await expectApiError(
      api.invoke('kill:run', { target: { pid: l.pid, startId }, force: 'yes' }),
      'invalid-request',
    );
    // After the engine looked again (an event, not a timer), the child still lives.
    await nextPolls(monitor, 2);
    expect(l.alive()).toBe(true);
  });

  it('refuses to plan or kill an identity the user never saw; the child stays alive', async () => {
    const l = await listener();
    // Same PID with a start identity the table never showed: a recycled PID, say.
    const target = { pid: l.pid, startId: 'not-the-real-start' };
    const plan = (await api.invoke('kill:plan', { target })) as KillPlan;
    expect(plan.refused).toMatch(/not shown/);
    const result = (await api.invoke('kill:run', { target, force: true })) as KillResult;
    expect(result.outcome).toBe('refused');
    expect(result.signals).toEqual([]);
    await nextPolls(monitor, 2);
    expect(l.alive()).toBe(true);
  });

  it('kills a process it showed and reports its port released', async () => {
    const l = await listener();
    const row = await waitFor('the listener', async () => rowFor(monitor.current() as Snapshot, l.port));
    const target = { pid: l.pid, startId: row.process?.startId as string };
    const plan = (await api.invoke('kill:plan', { target })) as KillPlan;
    expect(plan.refused).toBeNull();
    expect(plan.sockets.some((s) => s.localPort === l.port)).toBe(true);
    const result = (await api.invoke('kill:run', { target })) as KillResult;
    expect(['port-released', 'exited']).toContain(result.outcome);
    await l.exited;
    expect(l.alive()).toBe(false);
  });

  it('answers CPU and memory for a process it shows, and nothing for one it never showed', async () => {
    const l = await listener();
    const row = await waitFor('the listener', async () => rowFor(monitor.current() as Snapshot, l.port));
    const usage = (await api.invoke('process:usage', { pid: l.pid })) as ProcessUsage;
    expect(usage.startId).toBe(row.process?.startId);
    expect(usage.memory).toBeGreaterThan(0);
    // A process that holds no socket was never in the table: no answer about it.
    const quiet = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      expect(await api.invoke('process:usage', { pid: quiet.pid })).toBeNull();
    } finally {
      quiet.kill('SIGKILL');
    }
    await expectApiError(api.invoke('process:usage', { pid: '1; id' }), 'invalid-request');
  });

  it('opens only a port that is listening, by a URL built from the integer', async () => {
    const l = await listener();
    await waitFor('the listener', async () => rowFor(monitor.current() as Snapshot, l.port));
    expect(await api.invoke('port:open', { port: l.port })).toEqual({
      opened: true,
      url: `http://localhost:${l.port}/`,
    });
    expect(opened).toEqual([`http://localhost:${l.port}/`]);
    l.kill();
    await l.exited;
    await waitFor('the port to leave the table', async () =>
      rowFor(monitor.current() as Snapshot, l.port) ? undefined : true,
    );
    await expectApiError(api.invoke('port:open', { port: l.port }), 'not-found');
    expect(opened).toHaveLength(1);
  });

  it('without openUrl hands the URL back for the page to open', async () => {
    const l = await listener();
    await waitFor('the listener', async () => rowFor(monitor.current() as Snapshot, l.port));
    const bare = createApi({ monitor, killer: createKiller() }).connect(() => {});
    expect(await bare.invoke('port:open', { port: l.port })).toEqual({
      opened: false,
      url: `http://localhost:${l.port}/`,
    });
    bare.close();
  });
});
