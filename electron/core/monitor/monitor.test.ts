import { afterEach, describe, expect, it } from 'vitest';
import type { Delta, MonitorStatus, SocketRow } from '../../../shared/model';
import { completeRow } from '../../../shared/testing/rows';
import type { Engine } from '../engine/engine';
import { canBind, closeAll, openTcp, openUdp, portOf } from '../testing/sockets';
import { Monitor, type MonitorEvent } from './monitor';

const monitors: Monitor[] = [];
function make(opts: ConstructorParameters<typeof Monitor>[0] = {}): Monitor {
  const m = new Monitor({ intervalMs: 100, idleIntervalMs: 600, ...opts });
  monitors.push(m);
  return m;
}
afterEach(() => {
  for (const m of monitors.splice(0)) m.stop();
});

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function record(m: Monitor) {
  const events: MonitorEvent[] = [];
  m.subscribe((e) => events.push(e));
  const deltas = () =>
    events.filter((e): e is { type: 'delta'; delta: Delta } => e.type === 'delta').map((e) => e.delta);
  const statuses = () =>
    events
      .filter((e): e is { type: 'status'; status: MonitorStatus } => e.type === 'status')
      .map((e) => e.status);
  return { events, deltas, statuses };
}

const mine = (rows: SocketRow[], port: number) =>
  rows.find((r) => r.localPort === port && r.pid === process.pid);

describe('Monitor with the real engine', () => {
  it('shows new sockets with PID and name, and removes a closed one in the next delta', async () => {
    const m = make();
    const rec = record(m);
    m.start();
    const first = await m.ready();
    expect(first.seq).toBe(1);
    const tcp = await openTcp('127.0.0.1');
    const udp = await openUdp('udp4', '127.0.0.1');
    const tp = portOf(tcp);
    const up = portOf(udp);
    try {
      await until(() => rec.deltas().some((d) => d.added.some((r) => r.localPort === up)), 'the UDP socket');
      const snap = m.current();
      expect(mine(snap?.rows ?? [], tp)).toMatchObject({ protocol: 'tcp', state: 'LISTEN' });
      expect(mine(snap?.rows ?? [], up)).toMatchObject({ protocol: 'udp', state: 'UNCONN' });
      expect(mine(snap?.rows ?? [], tp)?.process?.name).toMatch(/node/);
      const key = mine(snap?.rows ?? [], tp)?.key as string;
      const seqAtClose = m.status().lastUpdate === null ? 0 : (rec.deltas().at(-1)?.seq ?? 0);
      await closeAll([tcp]);
      await until(() => rec.deltas().some((d) => d.removed.includes(key)), 'the removal');
      const removal = rec.deltas().find((d) => d.removed.includes(key)) as Delta;
      // Sequence numbers go up by one per poll, with no gaps.
      const seqs = rec.deltas().map((d) => d.seq);
      expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] as number) + i));
      expect(removal.seq).toBeGreaterThan(seqAtClose);
      expect(m.current()?.rows.some((r) => r.key === key)).toBe(false);
    } finally {
      await closeAll([udp]).catch(() => {});
    }
  });

  it('sees IPv6 sockets too', async (ctx) => {
    if (!(await canBind('::1'))) ctx.skip();
    const m = make();
    m.start();
    // The first poll may already be in flight (netlink answers at once): open the socket after it.
    await m.ready();
    const s = await openTcp('::1');
    try {
      const snap = await m.pollNow();
      expect(mine(snap.rows, portOf(s))).toMatchObject({ family: 6, localAddress: '::1' });
    } finally {
      await closeAll([s]);
    }
  });

  it('subscribe starts with the snapshot; pollNow after ready polls again', async () => {
    const m = make();
    m.start();
    await m.ready();
    const events: MonitorEvent[] = [];
    m.subscribe((e) => events.push(e));
    expect(events[0]?.type).toBe('snapshot');
    const s = await m.pollNow();
    expect(s.seq).toBeGreaterThan(1);
    expect(m.hasSeen({ pid: process.pid, startId: 'not-a-real-start-id' })).toBe(false);
  });

  it('tracks identities it has shown and answers processFor', async () => {
    const server = await openTcp('127.0.0.1');
    try {
      const m = make();
      m.start();
      const snap = await m.ready();
      const row = mine(snap.rows, portOf(server));
      expect(row?.process).not.toBeNull();
      expect(m.hasSeen({ pid: process.pid, startId: row?.process?.startId as string })).toBe(true);
      expect(m.processFor(process.pid)?.startId).toBe(row?.process?.startId);
    } finally {
      await closeAll([server]);
    }
  });
});

/** A fake engine only where real behaviour cannot be produced on demand: counting polls, hanging. */
function countingEngine(opts: { hang?: () => boolean } = {}) {
  let polls = 0;
  const engine: Engine = {
    collect: async () => {
      polls++;
      if (opts.hang?.()) await new Promise((r) => setTimeout(r, 1000));
      return {
        rows: [],
        errors: opts.hang?.() ? [{ source: 'x', tool: 'ss', kind: 'timeout', message: 'hung' }] : [],
      };
    },
  };
  return { engine, polls: () => polls };
}

describe('Monitor scheduling', () => {
  it('a quiet machine yields empty deltas, not tables', async () => {
    const row: SocketRow = completeRow({
      key: 'tcp|127.0.0.1|9|||1',
      protocol: 'tcp',
      family: 4,
      localAddress: '127.0.0.1',
      localPort: 9,
      remoteAddress: null,
      remotePort: null,
      state: 'LISTEN',
      pid: 1,
      process: null,
      service: 'discard',
    });
    const engine: Engine = { collect: async () => ({ rows: [{ ...row }], errors: [] }) };
    const m = make({ engine });
    const rec = record(m);
    m.start();
    await m.ready();
    await m.pollNow();
    const [first, second] = rec.deltas();
    expect(first?.added).toHaveLength(1);
    expect(second).toMatchObject({ seq: 2, added: [], removed: [], changed: [] });
    expect(second?.errors).toBeUndefined();
  });

  it('pause stops polling and resume polls at once', async () => {
    const c = countingEngine();
    const m = make({ engine: c.engine });
    const rec = record(m);
    m.start();
    await until(() => c.polls() >= 2, 'two polls');
    expect(m.pause().state).toBe('paused');
    const paused = c.polls();
    await new Promise((r) => setTimeout(r, 400));
    expect(c.polls()).toBeLessThanOrEqual(paused + 1); // at most the one already in flight
    const frozen = c.polls();
    expect(m.resume().state).toBe('polling');
    await until(() => c.polls() > frozen, 'a poll after resume');
    expect(rec.statuses().map((s) => s.state)).toEqual(expect.arrayContaining(['paused', 'polling']));
  });

  it('a longer interval polls less; unobserved slows down and observed speeds back up', async () => {
    const c = countingEngine();
    const m = make({ engine: c.engine, intervalMs: 50, idleIntervalMs: 2000 });
    const rec = record(m);
    m.start();
    const window = async () => {
      const before = c.polls();
      await new Promise((r) => setTimeout(r, 600));
      return c.polls() - before;
    };
    const fast = await window();
    m.setObserved(false);
    const idle = await window();
    m.setObserved(true);
    const back = await window();
    expect(idle).toBeLessThan(fast);
    expect(back).toBeGreaterThan(idle);
    expect(m.setIntervalMs(400).intervalMs).toBe(400);
    const slow = await window();
    expect(slow).toBeLessThan(fast);
    expect(rec.statuses().some((s) => s.observed === false)).toBe(true);
    expect(rec.statuses().some((s) => s.intervalMs === 400)).toBe(true);
  });

  it('setScope polls immediately and reports the scope', async () => {
    const scopes: string[] = [];
    const engine: Engine = {
      collect: async (scope) => {
        scopes.push(scope);
        return { rows: [], errors: [] };
      },
    };
    const m = make({ engine, intervalMs: 5000 });
    m.start();
    await m.ready();
    expect(m.setScope('all').scope).toBe('all');
    await until(() => scopes.includes('all'), 'a poll with the new scope');
    expect(m.current()?.scope).toBe('all');
  });

  it('a hung source turns into errors and stale status, and only one poll is in flight', async () => {
    let hang = false;
    let inflight = 0;
    let maxInflight = 0;
    const engine: Engine = {
      collect: async () => {
        inflight++;
        maxInflight = Math.max(maxInflight, inflight);
        if (hang) await new Promise((r) => setTimeout(r, 500));
        inflight--;
        return hang
          ? {
              rows: [],
              errors: [{ source: 'ss-udp', tool: 'ss', kind: 'timeout', message: 'ss did not answer' }],
            }
          : { rows: [], errors: [] };
      },
    };
    const m = make({ engine, intervalMs: 50 });
    const rec = record(m);
    m.start();
    await m.ready();
    hang = true;
    await Promise.all([m.pollNow(), m.pollNow()]);
    expect(maxInflight).toBe(1);
    await until(() => rec.statuses().some((s) => s.stale), 'a stale status');
    await until(() => rec.deltas().some((d) => d.errors?.[0]?.kind === 'timeout'), 'errors on a delta');
    expect(m.status().errors[0]?.tool).toBe('ss');
    hang = false;
    await until(() => m.status().errors.length === 0 && !m.status().stale, 'recovery');
    // errors appear on a delta only when they change
    const withErrors = rec.deltas().filter((d) => d.errors !== undefined);
    expect(withErrors.length).toBeLessThanOrEqual(2);
  });
});
