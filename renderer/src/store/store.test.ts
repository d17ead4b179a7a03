// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SocketRow } from '../../../shared/model';
import { createScriptedApi, type ScriptedApi, testRow } from '../testing/scripted-api';
import { connectStore, type StoreConnection } from './connect';
import { resetStore, setLingerMs, usePortStore } from './port-store';
import { prepareFilter, selectListening, selectSorted, selectVisible } from './selectors';

/** Wait until `check` passes (real timers; no absolute times asserted). */
async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const keys = () => [...usePortStore.getState().rows.keys()].sort();
const meta = (key: string) => usePortStore.getState().meta.get(key);
const visiblePorts = () => selectVisible(usePortStore.getState()).map((vr) => vr.row.localPort);

let api: ScriptedApi;
let conn: StoreConnection;
const a = testRow(3000);
const b = testRow(3001, { name: 'python3' });
const c = testRow(5432, { name: 'postgres' });

beforeEach(async () => {
  resetStore();
  setLingerMs(150);
  api = createScriptedApi([a, b]);
  conn = connectStore(api);
  await until(() => usePortStore.getState().seq === 1);
});
afterEach(() => conn.disconnect());

describe('port store', () => {
  it('loads the snapshot on open without marking anything new', () => {
    expect(keys()).toEqual([a.key, b.key].sort());
    expect(meta(a.key)).toBeUndefined();
    expect(usePortStore.getState().status?.state).toBe('polling');
    expect(api.requests.map(([ch]) => ch)).toContain('snapshot:get');
  });

  it('applies deltas by key: added rows glow, changed rows are replaced, removed rows linger then go', async () => {
    const b2: SocketRow = {
      ...b,
      state: 'LISTEN',
      process: { ...(b.process as NonNullable<SocketRow['process']>), cpu: 9 },
    };
    api.poll([b2, c]);
    const s = usePortStore.getState();
    expect(s.seq).toBe(2);
    expect(s.rows.get(c.key)).toEqual(c);
    expect(meta(c.key)?.addedAt).not.toBeNull();
    expect(s.rows.get(b.key)?.process?.cpu).toBe(9);
    // The closed row is still there, marked as leaving...
    expect(s.rows.has(a.key)).toBe(true);
    expect(meta(a.key)?.removedAt).not.toBeNull();
    expect(visiblePorts()).toContain(3000);
    // ...and not counted among the live lines.
    expect(selectSorted(s).live).toBe(2);
    // Then it goes, and the new row's glow is forgotten.
    await until(() => !usePortStore.getState().rows.has(a.key));
    await until(() => meta(c.key) === undefined);
    expect(keys()).toEqual([b.key, c.key].sort());
  });

  it('a seq gap makes the store resync from a snapshot instead of applying a partial picture', async () => {
    const snapshotsBefore = api.requests.filter(([ch]) => ch === 'snapshot:get').length;
    api.dropNext();
    api.poll([a, b, c]); // seq 2 lost on the way
    api.poll([b, c]); // seq 3 arrives: a gap
    await until(() => usePortStore.getState().seq === 3);
    expect(api.requests.filter(([ch]) => ch === 'snapshot:get').length).toBe(snapshotsBefore + 1);
    // The snapshot brought c (never seen in a delta) and took a away (shown leaving).
    expect(usePortStore.getState().rows.get(c.key)).toEqual(c);
    expect(meta(a.key)?.removedAt).not.toBeNull();
    api.poll([c]);
    expect(usePortStore.getState().seq).toBe(4);
    expect(meta(b.key)?.removedAt).not.toBeNull();
  });

  it('duplicate or old deltas are ignored', () => {
    const d = api.poll([a, b, c]);
    const version = usePortStore.getState().version;
    const snapshots = api.requests.filter(([ch]) => ch === 'snapshot:get').length;
    api.deliver(d);
    api.deliver({ ...d, seq: 1, added: [testRow(9999)] });
    expect(usePortStore.getState().version).toBe(version);
    expect(usePortStore.getState().rows.has(testRow(9999).key)).toBe(false);
    expect(api.requests.filter(([ch]) => ch === 'snapshot:get').length).toBe(snapshots);
  });

  it('resyncs on every connection open (a reconnect) and shows what changed while away', async () => {
    api.setConnection('closed');
    expect(usePortStore.getState().connection).toBe('closed');
    api.dropNext();
    api.poll([a, b, c]);
    api.setConnection('open');
    await until(() => usePortStore.getState().rows.has(c.key));
    expect(usePortStore.getState().connection).toBe('open');
    expect(meta(c.key)?.addedAt).not.toBeNull();
  });

  it('switching view asks the engine for that scope; sort toggles; the filter narrows the sorted rows', async () => {
    usePortStore.getState().setView('all');
    await until(() => usePortStore.getState().status?.scope === 'all');
    expect(api.requests).toContainEqual(['monitor:set-scope', { scope: 'all' }]);
    // The burst of connections the wider scope brings does not glow.
    const conn1 = testRow(40000, { state: 'ESTABLISHED', remoteAddress: '127.0.0.1', remotePort: 3000 });
    api.poll([a, b, conn1]);
    expect(meta(conn1.key)).toBeUndefined();
    expect(visiblePorts()).toEqual([3000, 3001, 40000]);

    usePortStore.getState().sortBy('process');
    expect(selectVisible(usePortStore.getState()).map((v) => v.row.process?.name)).toEqual([
      'node',
      'node',
      'python3',
    ]);
    usePortStore.getState().sortBy('process');
    expect(usePortStore.getState().sort).toEqual({ column: 'process', dir: 'desc' });
    expect(visiblePorts()[0]).toBe(3001);

    usePortStore.getState().setFilter('state:estab');
    expect(visiblePorts()).toEqual([40000]);
    // port: matches the remote end too: the client connected to 3000 is found with its server.
    usePortStore.getState().setFilter('-proc:python3 port:3000-3999');
    expect(visiblePorts().sort()).toEqual([3000, 40000]);
  });

  it('listening rows merge IPv4/IPv6 twins of one process and leave out rows that are leaving', () => {
    const v4 = testRow(8080, { key: 'v4', localAddress: '0.0.0.0', pid: 77 });
    const v6 = testRow(8080, { key: 'v6', localAddress: '::', family: 6, pid: 77 });
    const other = testRow(8080, { key: 'other', localAddress: '::', family: 6, pid: 78 });
    api.poll([a, v6, v4, other]);
    const listening = selectListening(usePortStore.getState());
    const merged = listening.find((vr) => vr.key === 'v4');
    expect(merged?.members.map((m) => m.key)).toEqual(['v4', 'v6']);
    expect(listening.find((vr) => vr.key === 'other')?.members).toHaveLength(1);
    expect(listening.some((vr) => vr.key === b.key)).toBe(false); // b is leaving
  });

  it('pause and resume go to the engine and the status follows', async () => {
    await usePortStore.getState().pause();
    expect(usePortStore.getState().status?.state).toBe('paused');
    await usePortStore.getState().resume();
    expect(usePortStore.getState().status?.state).toBe('polling');
  });
});

describe('filtering while typing', () => {
  it('narrows only when characters are appended to a plain word', async () => {
    const { narrows } = await import('./selectors');
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
      usePortStore.getState().setFilter(typed);
      const incremental = visiblePorts();
      usePortStore.getState().sortBy('port'); // new sort object → recomputed from scratch
      usePortStore.getState().sortBy('port');
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
      prepareFilter('redis', done);
      expect(done).not.toHaveBeenCalled(); // the first slice did not cover 3,000 rows
      // A delta mid-pass: the pass starts over on the new rows.
      api.poll([...many, testRow(40000, { name: 'redis' })]);
      await until(() => done.mock.calls.length === 1);
      usePortStore.setState({ filterText: 'redis', shownFilterText: 'redis' });
      const shown = selectVisible(usePortStore.getState()).map((vr) => vr.row.localPort);
      expect(shown).toHaveLength(1001);
      expect(shown.at(-1)).toBe(40000);

      const never = vi.fn();
      const cancel = prepareFilter('node', never);
      cancel();
      await new Promise((r) => setTimeout(r, 50));
      expect(never).not.toHaveBeenCalled();
    } finally {
      clock.mockRestore();
    }
  });

  it('after a failed snapshot asks again on its 2 s clock, not on every delta that arrives', async () => {
    conn.disconnect();
    resetStore();
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
    conn = connectStore(flaky);
    await until(() => usePortStore.getState().loadError !== null);
    expect(asked).toBe(1);
    for (let i = 0; i < 5; i++) api.poll([a, b, testRow(7000 + i)]);
    await new Promise((r) => setTimeout(r, 50));
    expect(asked).toBe(1);
    failing = false;
    await until(() => usePortStore.getState().seq === api.seq(), 5000);
    expect(asked).toBe(2);
    expect(keys()).toContain(testRow(7004).key);
  });

  it('holds a poll while keys are coming, but never longer than a second', async () => {
    const typing = setInterval(() => usePortStore.getState().setFilter(`x${Date.now() % 7}`), 40);
    try {
      usePortStore.getState().setFilter('x');
      const before = usePortStore.getState().seq;
      const held = Date.now();
      api.poll([a, b, c]);
      expect(usePortStore.getState().seq).toBe(before);
      await until(() => usePortStore.getState().seq === api.seq(), 3000);
      // Released by the cap, not by a pause: the keys never stopped.
      expect(Date.now() - held).toBeGreaterThanOrEqual(900);
    } finally {
      clearInterval(typing);
    }
    expect(keys()).toContain(c.key);
  });
});
