import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PortscopeApi } from '../../../shared/contract';
import type { Delta, Snapshot, SocketRow } from '../../../shared/model';
import { isListening } from '../../../shared/socket-rules';
import { connectStore, type StoreConnection } from './connect';
import {
  ChangeLog,
  LINGER_MS,
  type PortState,
  type RowMeta,
  savedView,
  saveView,
  TYPING_HOLD_MS,
} from './port-state';
import { createSelectors, type Selectors } from './selectors';

/**
 * The port table's store as an object: `createPortStore(api)` owns the rows, their marks, the
 * change log, the timers and every selector cache. A page creates one and starts it; a test creates
 * its own, so nothing carries over from one store to the next.
 */

export interface PortStoreOptions {
  /** How long a closed row lingers and a new row glows (default LINGER_MS). */
  lingerMs?: number;
}

export interface PortStore extends StoreApi<PortState> {
  /** Memoised, pure views of this store's state (visible rows, counts, listening rows…). */
  readonly select: Selectors;
  /** Apply one delta (the caller checked its seq follows ours). */
  applyDelta(d: Delta, now?: number): void;
  /** Replace the rows with a snapshot (a resync shows the difference as a delta would). */
  applySnapshot(snap: Snapshot, now?: number): void;
  /** Drop rows whose linger is over and forget glows that have faded. */
  sweep(now?: number): void;
  /** Milliseconds until typing counts as paused (0: not typing). */
  typingHoldLeft(now?: number): number;
  /** The engine is about to widen to All sockets: the rows that brings are not "new" (5 s window). */
  expectScopeBurst(): void;
  /** Subscribe to the api: snapshot, deltas in order, resync on gaps and reconnects. Idempotent. */
  start(): StoreConnection;
  /** Unsubscribe and stop every timer. */
  stop(): void;
}

/** Create a store for `api` (not yet subscribed: call start()). */
export function createPortStore(api: PortscopeApi, options: PortStoreOptions = {}): PortStore {
  const lingerMs = options.lingerMs ?? LINGER_MS;
  const rows = new Map<string, SocketRow>();
  const meta = new Map<string, RowMeta>();
  const log = new ChangeLog();
  let touched: string[] = [];
  /** After a switch to All sockets, the burst of rows the wider scope brings is not "new". */
  let quietUntil = 0;
  let lastFilterEdit = 0;
  let sweepTimer: ReturnType<typeof setTimeout> | null = null;
  let connection: StoreConnection | null = null;
  let cancelPreparing: (() => void) | null = null;
  let pendingPaint = false;
  let stopped = false;

  const setRow = (r: SocketRow) => {
    rows.set(r.key, r);
    touched.push(r.key);
  };
  const deleteRow = (key: string) => {
    rows.delete(key);
    touched.push(key);
  };
  /** Publish a change of rows/meta as one new version, with what else changed alongside. */
  const commit = (extra: Partial<PortState> = {}) => {
    const version = base.getState().version + 1;
    log.add(version, touched);
    touched = [];
    base.setState({ ...extra, version });
  };

  const base = createStore<PortState>()((set, get) => ({
    version: 0,
    rows,
    meta,
    seq: null,
    lastUpdate: null,
    status: null,
    errors: [],
    connection: 'connecting',
    loadError: null,
    view: savedView(),
    sort: { column: 'port', dir: 'asc' },
    filterText: '',
    shownFilterText: '',
    selectedKey: null,
    detailsOpen: false,

    setFilter: (text) => {
      lastFilterEdit = Date.now();
      set({ filterText: text });
      afterPaint(() => {
        const latest = get().filterText;
        if (latest === get().shownFilterText || stopped) return;
        cancelPreparing?.();
        cancelPreparing = store.select.prepareFilter(latest, () => {
          cancelPreparing = null;
          // A newer keystroke's own after-paint callback shows that one.
          if (get().filterText === latest) set({ shownFilterText: latest });
        });
      });
    },
    setView: (view) => {
      if (view === get().view) return;
      set({ view });
      saveView(view);
      if (view === 'all' && connection) {
        // Widening brings thousands of rows: they come as one snapshot of the new scope (the
        // resync sends the scope first), which the store takes faster than a delta of that size.
        store.expectScopeBurst();
        void connection.resync();
        return;
      }
      api.request('monitor:set-scope', { scope: view }).then(
        (status) => set({ status }),
        (e: Error) => set({ loadError: `Could not switch to ${view} view: ${e.message}` }),
      );
    },
    sortBy: (column) => {
      const { sort } = get();
      set({ sort: { column, dir: sort.column === column && sort.dir === 'asc' ? 'desc' : 'asc' } });
    },
    select: (key) => set({ selectedKey: key }),
    openDetails: (key) => set((s) => ({ selectedKey: key ?? s.selectedKey, detailsOpen: true })),
    closeDetails: () => set({ detailsOpen: false }),
    pause: async () => set({ status: await api.request('monitor:pause', {}) }),
    resume: async () => set({ status: await api.request('monitor:resume', {}) }),
  }));

  const markAdded = (key: string, now: number) => meta.set(key, { addedAt: now, removedAt: null });
  const markRemoved = (key: string, now: number) => {
    // A row that came and went within one glow is still shown leaving, not glowing.
    meta.set(key, { addedAt: meta.get(key)?.addedAt ?? null, removedAt: now });
  };
  /** Added rows get no glow in a quiet window after switching to All sockets (the scope's own burst). */
  const isQuiet = (row: SocketRow, now: number) => now < quietUntil && !isListening(row);

  const scheduleSweep = () => {
    if (sweepTimer !== null || meta.size === 0 || stopped) return;
    let oldest = Number.POSITIVE_INFINITY;
    for (const m of meta.values()) oldest = Math.min(oldest, m.removedAt ?? m.addedAt ?? oldest);
    const wait = Math.max(20, oldest + lingerMs - Date.now() + 5);
    sweepTimer = setTimeout(() => {
      sweepTimer = null;
      store.sweep();
      scheduleSweep();
    }, wait);
  };

  /** Run once after the next painted frame (coalesced per frame); at once where nothing paints. */
  const afterPaint = (fn: () => void) => {
    if (typeof requestAnimationFrame !== 'function') return fn();
    if (pendingPaint) return;
    pendingPaint = true;
    requestAnimationFrame(() =>
      setTimeout(() => {
        pendingPaint = false;
        fn();
      }, 0),
    );
  };

  const extras = {
    select: undefined as unknown as Selectors,
    applyDelta(d: Delta, now = Date.now()) {
      if (d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0) {
        // A quiet poll: nothing to re-derive, only the clock and (maybe) the errors move.
        base.setState((s) => ({ seq: d.seq, lastUpdate: d.takenAt, errors: d.errors ?? s.errors }));
        return;
      }
      let quietHit = false;
      for (const r of d.added) {
        setRow(r);
        if (isQuiet(r, now)) {
          quietHit = true;
          meta.delete(r.key);
        } else markAdded(r.key, now);
      }
      for (const r of d.changed) {
        setRow(r);
        if (meta.get(r.key)?.removedAt) meta.set(r.key, { addedAt: now, removedAt: null });
      }
      for (const key of d.removed) if (rows.has(key)) markRemoved(key, now);
      if (quietHit) quietUntil = 0;
      commit({ seq: d.seq, lastUpdate: d.takenAt, errors: d.errors ?? base.getState().errors });
      scheduleSweep();
    },
    applySnapshot(snap: Snapshot, now = Date.now()) {
      const first = base.getState().seq === null;
      if (rows.size === 0) {
        // The page's first snapshot (or one into an empty table): every row is simply set, no
        // comparison with rows there were (10,000 rows, on the way to the first paint).
        for (const r of snap.rows) setRow(r);
        if (!first) for (const r of snap.rows) if (!isQuiet(r, now)) markAdded(r.key, now);
        commit({ seq: snap.seq, lastUpdate: snap.takenAt, errors: snap.errors, loadError: null });
        scheduleSweep();
        return;
      }
      const next = new Map(snap.rows.map((r) => [r.key, r]));
      for (const [key] of rows) {
        if (next.has(key) || first || meta.get(key)?.removedAt) continue;
        markRemoved(key, now);
      }
      for (const [key, r] of next) {
        const had = rows.get(key);
        if (had !== r) setRow(r);
        if (!had && !first && !isQuiet(r, now)) markAdded(key, now);
        else if (had && meta.get(key)?.removedAt) meta.delete(key);
      }
      // Rows the snapshot does not have and that were not marked to linger go now.
      for (const key of [...rows.keys()]) if (!next.has(key) && !meta.get(key)?.removedAt) deleteRow(key);
      commit({ seq: snap.seq, lastUpdate: snap.takenAt, errors: snap.errors, loadError: null });
      scheduleSweep();
    },
    sweep(now = Date.now()) {
      let changed = false;
      for (const [key, m] of meta) {
        if (m.removedAt !== null && now - m.removedAt >= lingerMs) {
          deleteRow(key);
          meta.delete(key);
          changed = true;
        } else if (m.removedAt === null && m.addedAt !== null && now - m.addedAt >= lingerMs) {
          meta.delete(key);
          changed = true;
        }
      }
      if (changed) commit();
    },
    typingHoldLeft: (now = Date.now()) => Math.max(0, lastFilterEdit + TYPING_HOLD_MS - now),
    expectScopeBurst() {
      quietUntil = Date.now() + 5000;
    },
    start() {
      stopped = false;
      connection ??= connectStore(store, api);
      return connection;
    },
    stop() {
      stopped = true;
      connection?.disconnect();
      connection = null;
      cancelPreparing?.();
      cancelPreparing = null;
      if (sweepTimer) clearTimeout(sweepTimer);
      sweepTimer = null;
    },
  };
  const store: PortStore = Object.assign(base, extras);
  (store as { select: Selectors }).select = createSelectors(store, (from, to, limit) =>
    log.since(from, to, limit),
  );
  return store;
}
