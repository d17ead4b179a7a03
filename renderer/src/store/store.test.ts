// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SocketRow } from '../../../shared/model';
import { createScriptedApi, type ScriptedApi, testRow } from '../testing/scripted-api';
import { narrows } from './filter-results';
import { createPortStore, type PortStore } from './port-store';

/** The store on fake timers: linger, glow, retry and the typing hold are driven by the test's clock. */

const LINGER = 150;
/** Let pending promises (scripted requests) and due timers run. */
const flush = () => vi.advanceTimersByTimeAsync(0);

let api: ScriptedApi;
let store: PortStore;
const keys = () => [...store.getState().rows.keys()].sort();
const meta = (key: string) => store.getState().meta.get(key);
const visiblePorts = () => store.select.visible(store.getState()).map((vr) => vr.row.localPort);
const snapshots = () => api.requests.filter(([ch]) => ch === 'snapshot:get').length;
const a = testRow(3000);
const b = testRow(3001, { name: 'python3' });
const c = testRow(5432, { name: 'postgres' });

beforeEach(async () => {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'requestAnimationFrame'],
  });
  api = createScriptedApi([a, b]);
  store = createPortStore(api, { lingerMs: LINGER });
  store.start();
  await flush();
  expect(store.getState().seq).toBe(1);
});
afterEach(() => {
  store.stop();
  vi.useRealTimers();
});

describe('port store', () => {
  it('loads the snapshot on open without marking anything new', () => {
    expect(keys()).toEqual([a.key, b.key].sort());
    expect(meta(a.key)).toBeUndefined();
    expect(store.getState().status?.state).toBe('polling');
    expect(api.requests.map(([ch]) => ch)).toContain('snapshot:get');
  });

  it('applies deltas by key: added rows glow, changed rows are replaced, removed rows linger then go', async () => {
    const b2: SocketRow = { ...b, process: { ...(b.process as NonNullable<SocketRow['process']>), cpu: 9 } };
    api.poll([b2, c]);
    const s = store.getState();
    expect(s.seq).toBe(2);
    expect(s.rows.get(c.key)).toEqual(c);
    expect(meta(c.key)?.addedAt).not.toBeNull();
    expect(s.rows.get(b.key)?.process?.cpu).toBe(9);
    // The closed row is still there, marked as leaving, and not counted among the live lines.
    expect(meta(a.key)?.removedAt).not.toBeNull();
    expect(visiblePorts()).toContain(3000);
    expect(store.select.sorted(s).live).toBe(2);
    await vi.advanceTimersByTimeAsync(LINGER - 10);
    expect(store.getState().rows.has(a.key)).toBe(true);
    // Then it goes, and the new row's glow is forgotten.
    await vi.advanceTimersByTimeAsync(40);
    expect(keys()).toEqual([b.key, c.key].sort());
    expect(meta(c.key)).toBeUndefined();
  });

  it('a seq gap makes the store resync from a snapshot instead of applying a partial picture', async () => {
    const before = snapshots();
    api.dropNext();
    api.poll([a, b, c]); // seq 2 lost on the way
    api.poll([b, c]); // seq 3 arrives: a gap
    await flush();
    expect(store.getState().seq).toBe(3);
    expect(snapshots()).toBe(before + 1);
    // The snapshot brought c (never seen in a delta) and took a away (shown leaving).
    expect(store.getState().rows.get(c.key)).toEqual(c);
    expect(meta(a.key)?.removedAt).not.toBeNull();
    api.poll([c]);
    expect(store.getState().seq).toBe(4);
    expect(meta(b.key)?.removedAt).not.toBeNull();
  });

  it('duplicate or old deltas are ignored', () => {
    const d = api.poll([a, b, c]);
    const version = store.getState().version;
    const before = snapshots();
    api.deliver(d);
    api.deliver({ ...d, seq: 1, added: [testRow(9999)] });
    expect(store.getState().version).toBe(version);
    expect(store.getState().rows.has(testRow(9999).key)).toBe(false);
    expect(snapshots()).toBe(before);
  });

  it('resyncs on every connection open (a reconnect) and shows what changed while away', async () => {
    api.setConnection('closed');
    expect(store.getState().connection).toBe('closed');
    api.dropNext();
    api.poll([a, b, c]);
    api.setConnection('open');
    await flush();
    expect(store.getState().connection).toBe('open');
    expect(meta(c.key)?.addedAt).not.toBeNull();
  });

  it('switching view asks the engine for that scope; sort toggles; the filter narrows the sorted rows', async () => {
    store.getState().setView('all');
    await flush();
    expect(store.getState().status?.scope).toBe('all');
    // Widening asks for the scope and then a snapshot of it (one answer, not a delta of thousands).
    const i = api.requests.findIndex(
      ([c, p]) => c === 'monitor:set-scope' && (p as { scope: string }).scope === 'all',
    );
    expect(api.requests[i]).toEqual(['monitor:set-scope', { scope: 'all', resync: true }]);
    expect(api.requests[i + 1]?.[0]).toBe('snapshot:get');
    // The burst of connections the wider scope brings does not glow.
    const conn1 = testRow(40000, { state: 'ESTABLISHED', remoteAddress: '127.0.0.1', remotePort: 3000 });
    api.poll([a, b, conn1]);
    expect(meta(conn1.key)).toBeUndefined();
    expect(visiblePorts()).toEqual([3000, 3001, 40000]);

    store.getState().sortBy('process');
    expect(store.select.visible(store.getState()).map((v) => v.row.process?.name)).toEqual([
      'node',
      'node',
      'python3',
    ]);
    store.getState().sortBy('process');
    expect(store.getState().sort).toEqual({ column: 'process', dir: 'desc' });
    expect(visiblePorts()[0]).toBe(3001);

    store.getState().setFilter('state:estab');
    expect(visiblePorts()).toEqual([40000]);
    // port: matches the remote end too: the client connected to 3000 is found with its server.
    store.getState().setFilter('-proc:python3 port:3000-3999');
    expect(visiblePorts().sort()).toEqual([3000, 40000]);
  });

  it('in All sockets a delta re-sorts incrementally to the same order as a full sort', () => {
    store.getState().setView('all');
    const rows = Array.from({ length: 50 }, (_, i) => testRow(20000 + ((i * 37) % 50)));
    api.poll(rows);
    const first = store.select.sorted(store.getState());
    api.poll([...rows.slice(5), testRow(19999), testRow(30000)]);
    const incremental = store.select.sorted(store.getState()).rows.map((vr) => vr.key);
    // A fresh store with the same rows sorts from scratch.
    const fresh = createPortStore(api);
    fresh.setState({ view: 'all' });
    fresh.applySnapshot({
      seq: 1,
      takenAt: 0,
      scope: 'all',
      rows: [...store.getState().rows.values()],
      errors: [],
    });
    expect(incremental).toEqual(fresh.select.sorted(fresh.getState()).rows.map((vr) => vr.key));
    expect(first.rows).toHaveLength(52);
  });

  it('listening rows merge IPv4/IPv6 twins of one holder set and leave out rows that are leaving', () => {
    const v4 = testRow(8080, { key: 'v4', localAddress: '0.0.0.0', pid: 77 });
    const v6 = testRow(8080, { key: 'v6', localAddress: '::', family: 6, pid: 77 });
    const other = testRow(8080, { key: 'other', localAddress: '::', family: 6, pid: 78 });
    api.poll([a, v6, v4, other]);
    const listening = store.select.listening(store.getState());
    const merged = listening.find((vr) => vr.key === 'v4');
    expect(merged?.members.map((m) => m.key)).toEqual(['v4', 'v6']);
    expect(listening.find((vr) => vr.key === 'other')?.members).toHaveLength(1);
    expect(listening.some((vr) => vr.key === b.key)).toBe(false); // b is leaving
  });

  it('a new store shows its own rows, never the previous store’s (selectors are per store)', async () => {
    expect(store.select.listening(store.getState()).map((vr) => vr.row.localPort)).toEqual([3000, 3001]);
    store.stop();
    const next = createPortStore(createScriptedApi([c]));
    next.start();
    await flush();
    // Same version number as the old store had at this point: nothing may be answered from a cache.
    expect(next.select.listening(next.getState()).map((vr) => vr.row.localPort)).toEqual([5432]);
    expect(next.select.visible(next.getState()).map((vr) => vr.row.localPort)).toEqual([5432]);
    next.stop();
  });

  it('reading a selector changes nothing: the same state gives the same answer', () => {
    store.getState().setView('all');
    api.poll([a, b, c]);
    const s = store.getState();
    const once = store.select.sorted(s).rows.map((vr) => vr.key);
    const again = createPortStore(api);
    again.applySnapshot({ seq: 1, takenAt: 0, scope: 'all', rows: [...s.rows.values()], errors: [] });
    again.setState({ view: 'all' });
    expect(again.select.sorted(again.getState()).rows.map((vr) => vr.key)).toEqual(once);
    expect(store.select.sorted(s).rows.map((vr) => vr.key)).toEqual(once);
  });

  it('pause and resume go to the engine and the status follows', async () => {
    await store.getState().pause();
    expect(store.getState().status?.state).toBe('paused');
    await store.getState().resume();
    expect(store.getState().status?.state).toBe('polling');
  });
});

describe('filtering while typing', () => {
  it('narrows only when characters are appended to a plain word', () => {
    expect(narrows('nod', 'node')).toBe(true);
    expect(narrows('node py', 'node pyt')).toBe(true);
    expect(narrows('', 'n')).toBe(false);
    expect(narrows('node', 'node ')).toBe(false);
    expect(narrows('port:3', 'port:30')).toBe(false);
    expect(narrows('-nod', '-node')).toBe(false);
    expect(narrows('"my ap', '"my app')).toBe(false);
    expect(narrows('node', 'nod')).toBe(false);
  });

  it('typing gives the same rows as filtering everything afresh', () => {
    const rows = [3000, 3001, 3010, 4000, 30000].map((p, i) =>
      testRow(p, { name: i % 2 ? 'node' : 'nodemon' }),
    );
    api.poll(rows);
    let typed = '';
    for (const ch of 'nodem 30') {
      typed += ch;
      store.getState().setFilter(typed);
      const incremental = visiblePorts();
      store.getState().sortBy('port'); // new sort object → recomputed from scratch
      store.getState().sortBy('port');
      expect(incremental, typed).toEqual(visiblePorts());
    }
    expect(visiblePorts()).toEqual([3000, 3010, 30000]);
  });

  it('filters in slices that yield, restarts when a delta lands mid-pass, and stops when cancelled', async () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      testRow(20000 + i, { name: i % 3 ? 'node' : 'redis' }),
    );
    api.poll(many);
    // Every clock read moves 2 ms: a 4 ms slice ends after its first 512 rows.
    let t = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => (t += 2));
    try {
      const done = vi.fn();
      store.select.prepareFilter('redis', done);
      expect(done).not.toHaveBeenCalled(); // the first slice did not cover 3,000 rows
      // A delta mid-pass: the pass starts over on the new rows.
      api.poll([...many, testRow(40000, { name: 'redis' })]);
      await vi.advanceTimersByTimeAsync(50);
      expect(done).toHaveBeenCalledTimes(1);
      store.setState({ filterText: 'redis', shownFilterText: 'redis' });
      const shown = store.select.visible(store.getState()).map((vr) => vr.row.localPort);
      expect(shown).toHaveLength(1001);
      expect(shown.at(-1)).toBe(40000);

      const never = vi.fn();
      const cancel = store.select.prepareFilter('node', never);
      cancel();
      await vi.advanceTimersByTimeAsync(50);
      expect(never).not.toHaveBeenCalled();
    } finally {
      clock.mockRestore();
    }
  });

  it('after a failed snapshot asks again on its 2 s clock, not on every delta that arrives', async () => {
    store.stop();
    let failing = true;
    let asked = 0;
    const flaky = {
      ...api,
      request: ((channel, payload) => {
        if (channel === 'snapshot:get') {
          asked++;
          if (failing) return Promise.reject(new Error('engine restarting'));
        }
        return api.request(channel, payload);
      }) as typeof api.request,
    };
    store = createPortStore(flaky, { lingerMs: LINGER });
    store.start();
    await flush();
    expect(store.getState().loadError).not.toBeNull();
    expect(asked).toBe(1);
    for (let i = 0; i < 5; i++) api.poll([a, b, testRow(7000 + i)]);
    await vi.advanceTimersByTimeAsync(1900);
    expect(asked).toBe(1);
    failing = false;
    await vi.advanceTimersByTimeAsync(200);
    expect(asked).toBe(2);
    expect(store.getState().seq).toBe(api.seq());
    expect(keys()).toContain(testRow(7004).key);
  });

  it('holds a poll while keys are coming, but never longer than a second', async () => {
    const typing = setInterval(() => store.getState().setFilter(`x${Date.now() % 7}`), 40);
    try {
      store.getState().setFilter('x');
      const before = store.getState().seq;
      api.poll([a, b, c]);
      expect(store.getState().seq).toBe(before);
      await vi.advanceTimersByTimeAsync(950);
      // The keys never stopped: still held...
      expect(store.getState().seq).toBe(before);
      // ...until the one-second cap releases it.
      await vi.advanceTimersByTimeAsync(100);
      expect(store.getState().seq).toBe(api.seq());
    } finally {
      clearInterval(typing);
    }
    expect(keys()).toContain(c.key);
  });

  it('a poll held by typing is applied once the keys pause', async () => {
    store.getState().setFilter('x');
    const before = store.getState().seq;
    api.poll([a, b, c]);
    expect(store.getState().seq).toBe(before);
    await vi.advanceTimersByTimeAsync(310);
    expect(store.getState().seq).toBe(api.seq());
  });
});
