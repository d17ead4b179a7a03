import { create } from 'zustand';
import type { ConnectionState } from '../../../shared/contract';
import type { Delta, MonitorStatus, Snapshot, SocketRow, SourceError } from '../../../shared/model';
import { isListening, type SortColumn, type SortSpec, type ViewName } from '../../../shared/view';

/**
 * The port table's state. Rows live in one mutable Map (10,000 rows must not be copied on every
 * delta); `version` bumps whenever rows or their highlight marks change, and every derived value
 * (visible rows, counts) is memoised on it. Components read through the hooks in selectors.ts.
 */

/** Highlight marks: when a row appeared (green glow) or disappeared (dimmed red, then gone). */
export interface RowMeta {
  addedAt: number | null;
  removedAt: number | null;
}

/** How long a closed row stays visible, and how long a new row glows. */
export const LINGER_MS = 3000;

/** The requests the store makes: the part of PortscopeApi it needs (set by connectStore). */
export interface StoreApi {
  setScope(view: ViewName): Promise<MonitorStatus>;
  pause(): Promise<MonitorStatus>;
  resume(): Promise<MonitorStatus>;
}

export interface PortState {
  /** Bumps on every change to `rows` or `meta` (both are mutated in place). */
  version: number;
  rows: ReadonlyMap<string, SocketRow>;
  meta: ReadonlyMap<string, RowMeta>;
  /** Sequence number of the last applied snapshot/delta; null before the first snapshot. */
  seq: number | null;
  /** ms since epoch of the last applied poll. */
  lastUpdate: number | null;
  status: MonitorStatus | null;
  errors: SourceError[];
  connection: ConnectionState;
  /** Set when the snapshot request failed (shown as a banner, never as an empty table). */
  loadError: string | null;
  view: ViewName;
  sort: SortSpec;
  filterText: string;
  /**
   * The filter text the rows are shown for: it follows filterText only after the browser painted
   * the frame with the keystroke, so the input reaches the screen before 10,000 rows are filtered.
   * One field for every reader (table, counts, hints), so they always agree.
   */
  shownFilterText: string;
  selectedKey: string | null;
  detailsOpen: boolean;

  setFilter(text: string): void;
  /** Switch view; also asks the engine to collect that scope (monitor:set-scope). */
  setView(view: ViewName): void;
  /** Sort by a column; the same column again reverses. */
  sortBy(column: SortColumn): void;
  select(key: string | null): void;
  openDetails(key?: string): void;
  closeDetails(): void;
  pause(): Promise<void>;
  resume(): Promise<void>;
}

const VIEW_KEY = 'portscope.view';

/** The view the user chose last time (a window reopens as it was left). */
function savedView(): ViewName {
  try {
    return globalThis.localStorage?.getItem(VIEW_KEY) === 'all' ? 'all' : 'listening';
  } catch {
    return 'listening'; // Storage disabled: the default view is fine.
  }
}

function saveView(view: ViewName): void {
  try {
    globalThis.localStorage?.setItem(VIEW_KEY, view);
  } catch {
    // Not persisted; nothing else depends on it.
  }
}

const rows = new Map<string, SocketRow>();
const meta = new Map<string, RowMeta>();
/** Keys whose row was set or deleted since version `dirtyBase` (lets the sort update incrementally). */
const dirty = new Set<string>();
let dirtyBase = 0;

/** Keys changed since `version`, or null when that is not the version the record starts from. */
export function dirtySince(version: number): ReadonlySet<string> | null {
  return version === dirtyBase ? dirty : null;
}

/** Start a fresh change record at `version` (called by whoever consumed the changes). */
export function clearDirty(version: number): void {
  dirty.clear();
  dirtyBase = version;
}

function setRow(r: SocketRow): void {
  rows.set(r.key, r);
  dirty.add(r.key);
}

function deleteRow(key: string): void {
  rows.delete(key);
  dirty.add(key);
}
let api: StoreApi | null = null;
/** After a switch to All sockets, the burst of rows the wider scope brings is not "new". */
let quietUntil = 0;

/** When the filter text last changed (ms since epoch). */
let lastFilterEdit = 0;
/** How long after a keystroke the table holds still (deltas wait): typing gets every frame. */
export const TYPING_HOLD_MS = 300;

/** Milliseconds until typing counts as paused (0: not typing). */
export function typingHoldLeft(now = Date.now()): number {
  return Math.max(0, lastFilterEdit + TYPING_HOLD_MS - now);
}

/** The engine is about to widen to All sockets: the rows that brings are not "new" (5 s window). */
export function expectScopeBurst(): void {
  quietUntil = Date.now() + 5000;
}

/** Connect the store's actions to an api (connectStore does this). */
export function setStoreApi(next: StoreApi | null): void {
  api = next;
}

export const usePortStore = create<PortState>()((set, get) => ({
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
      if (latest === get().shownFilterText) return;
      cancelPreparing?.();
      const show = () => {
        cancelPreparing = null;
        // A newer keystroke's own after-paint callback shows that one.
        if (get().filterText === latest) set({ shownFilterText: latest });
      };
      cancelPreparing = null;
      if (preparer) cancelPreparing = preparer(latest, show);
      else show();
    });
  },
  setView: (view) => {
    if (view === get().view) return;
    if (view === 'all') expectScopeBurst();
    set({ view });
    saveView(view);
    api?.setScope(view).then(
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
  pause: async () => {
    if (api) set({ status: await api.pause() });
  },
  resume: async () => {
    if (api) set({ status: await api.resume() });
  },
}));

const bump = () => usePortStore.setState((s) => ({ version: s.version + 1 }));

function markAdded(key: string, now: number): void {
  meta.set(key, { addedAt: now, removedAt: null });
}

function markRemoved(key: string, now: number): void {
  const m = meta.get(key);
  // A row that came and went within one glow is still shown leaving, not glowing.
  meta.set(key, { addedAt: m?.addedAt ?? null, removedAt: now });
}

/** Added rows get no glow in a quiet window after switching to All sockets (the scope's own burst). */
function isQuiet(row: SocketRow, now: number): boolean {
  return now < quietUntil && !isListening(row);
}

/** Apply one delta (the caller checked its seq follows ours). */
export function applyDelta(d: Delta, now = Date.now()): void {
  if (d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0) {
    // A quiet poll: nothing to re-derive, only the clock and (maybe) the errors move.
    usePortStore.setState((s) => ({ seq: d.seq, lastUpdate: d.takenAt, errors: d.errors ?? s.errors }));
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
    const m = meta.get(r.key);
    if (m?.removedAt) meta.set(r.key, { addedAt: now, removedAt: null });
  }
  for (const key of d.removed) if (rows.has(key)) markRemoved(key, now);
  if (quietHit) quietUntil = 0;
  usePortStore.setState((s) => ({
    version: s.version + 1,
    seq: d.seq,
    lastUpdate: d.takenAt,
    errors: d.errors ?? s.errors,
  }));
  scheduleSweep();
}

/**
 * Replace the rows with a snapshot. The first snapshot marks nothing; a resync after a gap or a
 * reconnect shows the difference as it would a delta (new rows glow, missing rows linger).
 */
export function applySnapshot(snap: Snapshot, now = Date.now()): void {
  const first = usePortStore.getState().seq === null;
  const next = new Map(snap.rows.map((r) => [r.key, r]));
  for (const [key] of rows) {
    if (next.has(key)) continue;
    if (first || meta.get(key)?.removedAt) continue;
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
  usePortStore.setState((s) => ({
    version: s.version + 1,
    seq: snap.seq,
    lastUpdate: snap.takenAt,
    errors: snap.errors,
    loadError: null,
  }));
  scheduleSweep();
}

let sweepTimer: ReturnType<typeof setTimeout> | null = null;
let lingerMs = LINGER_MS;

/** Change the linger/glow time (tests use a short one instead of faking the clock). */
export function setLingerMs(ms: number): void {
  lingerMs = ms;
}

/** Drop rows whose linger is over and forget glows that have faded. */
export function sweep(now = Date.now()): void {
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
  if (changed) bump();
}

function scheduleSweep(): void {
  if (sweepTimer !== null || meta.size === 0) return;
  let oldest = Number.POSITIVE_INFINITY;
  for (const m of meta.values()) oldest = Math.min(oldest, m.removedAt ?? m.addedAt ?? oldest);
  const wait = Math.max(20, oldest + lingerMs - Date.now() + 5);
  sweepTimer = setTimeout(() => {
    sweepTimer = null;
    sweep();
    scheduleSweep();
  }, wait);
}

/** Forget every row and mark (tests, and a transport that is replaced). */
export function resetStore(): void {
  cancelPreparing?.();
  cancelPreparing = null;
  rows.clear();
  meta.clear();
  dirty.clear();
  dirtyBase = 0;
  if (sweepTimer) clearTimeout(sweepTimer);
  sweepTimer = null;
  quietUntil = 0;
  lastFilterEdit = 0;
  usePortStore.setState({
    version: 0,
    seq: null,
    lastUpdate: null,
    status: null,
    errors: [],
    connection: 'connecting',
    loadError: null,
    view: 'listening',
    sort: { column: 'port', dir: 'asc' },
    filterText: '',
    shownFilterText: '',
    selectedKey: null,
    detailsOpen: false,
  });
}

/**
 * Works out the rows for a filter text before they are shown, in slices that let keystrokes through
 * (installed by selectors.ts); calls `done` when ready; returns a cancel function.
 */
export type FilterPreparer = (text: string, done: () => void) => () => void;
let preparer: FilterPreparer | null = null;
let cancelPreparing: (() => void) | null = null;

export function setFilterPreparer(p: FilterPreparer | null): void {
  preparer = p;
}

let pendingPaint = false;
/** Run once after the next painted frame (coalesced per frame); at once where nothing paints. */
function afterPaint(fn: () => void): void {
  if (typeof requestAnimationFrame !== 'function') {
    fn();
    return;
  }
  if (pendingPaint) return;
  pendingPaint = true;
  requestAnimationFrame(() =>
    setTimeout(() => {
      pendingPaint = false;
      fn();
    }, 0),
  );
}
