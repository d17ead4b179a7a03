import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/contract';
import type { HistoryEvent, HistoryResult } from '../../../shared/history';
import type { KillResult } from '../../../shared/model';
import { readHistory } from '../history/history-reader';
import { createPortscope, type Portscope } from '../portscope';
import { type Listener, spawnListener } from '../testing/children';
import { nextPolls } from '../testing/polls';

/**
 * history:query through the api of a real Portscope that records a real child: the page sees the
 * child's span with its PID, a kill through the api is recorded as the host's, and bad requests are
 * refused by the contract before anything runs.
 */

const root = mkdtempSync(join(tmpdir(), 'ps-api-history-'));
const dir = join(root, 'history');
let ps: Portscope;
const children: Listener[] = [];

beforeAll(async () => {
  ps = await createPortscope({
    protectedPids: () => [process.pid],
    intervalMs: 250,
    idleIntervalMs: 250,
    history: { dir },
  });
  ps.start();
});
afterAll(async () => {
  ps.stop();
  for (const c of children) c.kill();
  // The recorder writes its last index and releases its lease after stop(): let it, then remove.
  await ps.history?.flush();
  rmSync(root, { recursive: true, force: true });
});

async function until(match: (e: HistoryEvent) => boolean): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await nextPolls(ps.monitor);
    await ps.history?.flush();
    if ((await readHistory(dir)).events.some(match)) return;
  }
  throw new Error('never recorded');
}

describe('history:query', () => {
  it('answers with the recorded holder, and records a kill through the api as the host’s', async () => {
    const l = await spawnListener({ name: 'ps-apihist' });
    children.push(l);
    await until((e) => e.kind === 'open' && e.port === l.port);
    const client = ps.core.connect(() => undefined);
    const row = ps.monitor.current()?.rows.find((r) => r.localPort === l.port);
    const startId = row?.process?.startId as string;
    const res = (await client.invoke('kill:run', { target: { pid: l.pid, startId } })) as KillResult;
    expect(res.outcome === 'exited' || res.outcome === 'port-released').toBe(true);
    await until((e) => e.kind === 'close' && e.port === l.port);
    await ps.history?.flush();

    const r = (await client.invoke('history:query', { port: l.port })) as HistoryResult;
    expect(r.ports).toHaveLength(1);
    const span = r.ports[0]?.spans[0];
    expect(span?.process).toMatchObject({ pid: l.pid, name: 'ps-apihist', startId });
    expect(span).toMatchObject({ fromKind: 'opened', toKind: 'closed' });
    expect(span?.killedBy).toMatchObject({ by: 'browser', action: 'kill', outcome: res.outcome });
    expect(span?.killedBy?.signals).toContainEqual({ pid: l.pid, signal: 'SIGTERM' });
    // The filter language through the api.
    const f = (await client.invoke('history:query', { filter: `pid:${l.pid}` })) as HistoryResult;
    expect(f.ports.map((p) => p.port)).toEqual([l.port]);
    client.close();
  }, 60_000);

  it('refuses bad requests before anything runs', async () => {
    const client = ps.core.connect(() => undefined);
    for (const bad of [
      { port: 0 },
      { from: 10, to: 5 },
      { filter: 'x'.repeat(501) },
      { port: 80, extra: 1 },
    ]) {
      await expect(client.invoke('history:query', bad)).rejects.toBeInstanceOf(ApiError);
    }
    client.close();
  });
});
