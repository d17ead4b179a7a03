import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Delta, MonitorStatus, Scope, Snapshot, SocketRow } from '../../../shared/model';
import { isListening } from '../../../shared/socket-rules';
import { testRow } from '../../../shared/testing/rows';
import type { Engine } from '../engine/engine';
import { canBind, closeAll, openTcp, openUdp, portOf } from '../testing/sockets';
import { Monitor, type MonitorEvent, type ViewOptions } from './monitor';
import { ALL_LINGER_MS } from './views';

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

function record(m: Monitor, options: ViewOptions = {}) {
  const events: MonitorEvent[] = [];
  const view = m.subscribe(options, (e) => events.push(e));
  const deltas = () =>
    events.filter((e): e is { type: 'delta'; delta: Delta } => e.type === 'delta').map((e) => e.delta);
  const statuses = () =>
    events
      .filter((e): e is { type: 'status'; status: MonitorStatus } => e.type === 'status')
      .map((e) => e.status);
  return { events, deltas, statuses, view };
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

/**
 * A fake engine: the one thing a timing test cannot have for real is a machine whose sockets change
 * exactly when the test says. Its table is what `rows` holds; 'listening' filters it like the engine.
 */
function fakeEngine(rows: SocketRow[] = []) {
  const polls: Scope[] = [];
  let hang: Promise<void> | null = null;
  const engine: Engine = {
    collect: async (scope) => {
      polls.push(scope);
      if (hang) await hang;
      return { rows: scope === 'all' ? [...rows] : rows.filter((r) => isListening(r)), errors: [] };
    },
  };
  return {
    engine,
    rows,
    polls,
    hangUntil: (p: Promise<void> | null) => {
      hang = p;
    },
  };
}

const listener = (port: number) => testRow(port);
const connection = (port: number) =>
  testRow(port, { key: `tcp|conn|${port}`, state: 'ESTABLISHED', remoteAddress: '127.0.0.1', remotePort: 1 });

describe('Monitor scheduling (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Let the poll in flight finish (its promise chain), without moving the clock. */
  const settle = () => vi.advanceTimersByTimeAsync(0);

  it('a quiet machine yields empty deltas, not tables; the view starts with a snapshot', async () => {
    const f = fakeEngine([listener(9)]);
    const m = make({ engine: f.engine });
    const rec = record(m);
    m.start();
    await settle();
    await vi.advanceTimersByTimeAsync(100);
    expect(rec.events[0]).toMatchObject({ type: 'snapshot', snapshot: { seq: 1 } });
    expect(rec.deltas()).toEqual([expect.objectContaining({ seq: 2, added: [], removed: [], changed: [] })]);
    expect(rec.deltas()[0]?.errors).toBeUndefined();
  });

  it('polls at the interval while observed, at the idle interval with nobody or nobody looking', async () => {
    const f = fakeEngine();
    const m = make({ engine: f.engine, intervalMs: 100, idleIntervalMs: 600 });
    m.start();
    await settle();
    expect(f.polls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1200);
    expect(f.polls).toHaveLength(3); // nobody subscribed: every 600 ms
    const rec = record(m);
    await vi.advanceTimersByTimeAsync(1000);
    expect(f.polls.length).toBeGreaterThanOrEqual(12); // observed: every 100 ms
    rec.view.setObserved(false);
    const before = f.polls.length;
    await vi.advanceTimersByTimeAsync(1200);
    expect(f.polls.length - before).toBe(2);
    expect(rec.statuses().at(-1)?.observed).toBe(false);
    expect(m.setIntervalMs(400)).toBe(400);
    rec.view.setObserved(true);
    const fast = f.polls.length;
    await vi.advanceTimersByTimeAsync(1200);
    expect(f.polls.length - fast).toBe(3);
    expect(rec.statuses().at(-1)).toMatchObject({ intervalMs: 400, observed: true });
  });

  it('pause is per view: the paused view gets nothing, the other goes on; all paused stops polling', async () => {
    const f = fakeEngine([listener(1)]);
    const m = make({ engine: f.engine });
    const a = record(m);
    const b = record(m);
    m.start();
    await settle();
    expect(a.view.pause().state).toBe('paused');
    f.rows.push(listener(2));
    await vi.advanceTimersByTimeAsync(300);
    expect(a.deltas()).toEqual([]);
    expect(b.deltas().some((d) => d.added.some((r) => r.localPort === 2))).toBe(true);
    expect(b.view.status().state).toBe('polling');
    b.view.pause();
    const polls = f.polls.length;
    await vi.advanceTimersByTimeAsync(2000);
    expect(f.polls).toHaveLength(polls);
    // Resuming brings the view up to date in one delta, numbered right after its snapshot.
    expect(a.view.resume().state).toBe('polling');
    expect(a.deltas()).toEqual([
      expect.objectContaining({ seq: 2, added: [expect.objectContaining({ localPort: 2 })] }),
    ]);
    await settle();
    expect(f.polls).toHaveLength(polls + 1);
    const states = a.statuses().map((s) => s.state);
    expect(states.filter((st, i) => st !== states[i - 1])).toEqual(['polling', 'paused', 'polling']);
  });

  it('polls the union of the views: all only while an observed, unpaused view shows all', async () => {
    const f = fakeEngine([listener(1), connection(2)]);
    const m = make({ engine: f.engine, intervalMs: 5000, idleIntervalMs: 5000 });
    const tray = record(m, { scope: 'all', observed: false });
    const tab = record(m, { scope: 'listening' });
    m.start();
    await settle();
    expect(f.polls).toEqual(['listening']); // the unobserved 'all' view does not widen the poll
    const wide = record(m, { scope: 'all' });
    await settle();
    expect(f.polls).toEqual(['listening', 'all']); // widening polls at once, not after 5 s
    expect(
      wide
        .deltas()
        .at(-1)
        ?.added.map((r) => r.localPort),
    ).toEqual([2]);
    expect(
      tray
        .deltas()
        .at(-1)
        ?.added.map((r) => r.localPort),
    ).toEqual([2]);
    expect(tab.deltas().at(-1)).toMatchObject({ added: [], removed: [], changed: [] });
    // A view that narrows sees the connection leave at once; the others keep it.
    const status = wide.view.setScope('listening');
    expect(status.scope).toBe('listening');
    expect(wide.deltas().at(-1)?.removed).toEqual(['tcp|conn|2']);
    expect(
      tray.view
        .snapshot()
        ?.rows.map((r) => r.localPort)
        .sort(),
    ).toEqual([1, 2]);
    expect(wide.view.snapshot()).toMatchObject({ scope: 'listening', seq: wide.deltas().at(-1)?.seq });
  });

  it('a fresh snapshot of a view that widened waits for the poll of every socket, with no delta meanwhile', async () => {
    const f = fakeEngine([listener(1), connection(2)]);
    const m = make({ engine: f.engine, intervalMs: 5000, idleIntervalMs: 5000 });
    const tab = record(m, { scope: 'listening' });
    m.start();
    await settle();
    expect(f.polls).toEqual(['listening']);
    // The poll that collects every socket takes its time; the listeners alone are not an answer.
    let release = () => {};
    f.hangUntil(
      new Promise<void>((r) => {
        release = r;
      }),
    );
    tab.view.setScope('all');
    let answered: Snapshot | null = null;
    void tab.view.freshSnapshot().then((s) => {
      answered = s;
    });
    await settle();
    expect(answered).toBeNull();
    f.hangUntil(null);
    release();
    await settle();
    expect(f.polls).toEqual(['listening', 'all']);
    const snap = answered as Snapshot | null;
    expect(snap?.scope).toBe('all');
    expect(snap?.rows.map((r) => r.localPort).sort()).toEqual([1, 2]);
    // The snapshot carried the poll: no delta went out for it, and the next one follows on.
    expect(tab.deltas()).toEqual([]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(tab.deltas().map((d) => d.seq)).toEqual([(snap?.seq ?? 0) + 1]);
    // A view whose scope the monitor already polls answers at once.
    const other = record(m, { scope: 'listening' });
    await settle();
    await expect(other.view.freshSnapshot()).resolves.toMatchObject({ scope: 'listening' });
  });

  it('goes on collecting every socket for a while after the last All view went (a reload finds them polled)', async () => {
    const f = fakeEngine([listener(1), connection(2)]);
    const m = make({ engine: f.engine, intervalMs: 1000, idleIntervalMs: 1000 });
    const tab = record(m, { scope: 'all' });
    m.start();
    await settle();
    tab.view.close();
    await vi.advanceTimersByTimeAsync(ALL_LINGER_MS - 2000);
    expect(f.polls.at(-1)).toBe('all');
    // The reloaded page's view (it starts in Listening and asks for All, then its snapshot) finds
    // a poll that already covers it: no delta of every connection, a snapshot with them at once.
    const again = record(m, { scope: 'listening' });
    again.view.setScope('all', { resync: true });
    const snap = await again.view.freshSnapshot();
    expect(snap.rows.map((r) => r.localPort).sort()).toEqual([1, 2]);
    expect(again.deltas()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(again.deltas().map((d) => d.seq)).toEqual([snap.seq + 1]);
    again.view.close();
    await vi.advanceTimersByTimeAsync(ALL_LINGER_MS + 2000);
    expect(f.polls.at(-1)).toBe('listening');
  });

  it('each view numbers its own deltas without gaps, whatever the others do', async () => {
    const f = fakeEngine([listener(1)]);
    const m = make({ engine: f.engine });
    m.start();
    await settle();
    const late = record(m);
    await vi.advanceTimersByTimeAsync(300);
    expect(late.events[0]).toMatchObject({ type: 'snapshot', snapshot: { seq: 1 } });
    expect(late.deltas().map((d) => d.seq)).toEqual([2, 3, 4]);
    expect(m.current()?.seq).toBe(4);
  });

  it('a hung source turns stale without a poll finishing, and only one poll is in flight', async () => {
    const f = fakeEngine();
    const m = make({ engine: f.engine, intervalMs: 100 });
    const rec = record(m);
    m.start();
    await settle();
    let release = () => {};
    f.hangUntil(new Promise<void>((r) => (release = r)));
    await vi.advanceTimersByTimeAsync(100);
    void m.pollNow();
    void m.pollNow();
    expect(f.polls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(250);
    expect(rec.statuses().at(-1)?.stale).toBe(true);
    f.hangUntil(null);
    release();
    await settle();
    expect(rec.view.status().stale).toBe(false);
  });
});
