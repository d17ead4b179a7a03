import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { type CompiledFilter, parseFilter } from '../../../shared/filter';
import type { SocketRow } from '../../../shared/model';
import {
  isListening,
  resortIncremental,
  type SortSpec,
  sortViewRows,
  toViewRows,
  type ViewName,
  type ViewRow,
} from '../../../shared/view';
import {
  clearDirty,
  dirtySince,
  type PortState,
  type RowMeta,
  setFilterPreparer,
  usePortStore,
} from './port-store';

/**
 * Derived data, memoised on exactly what it depends on: a filter keystroke re-runs only the filter
 * over the already-sorted rows; a delta re-sorts; nothing recomputes for a status tick. Each hook
 * selects a stable value, so a component re-renders only when what it shows changed.
 */

export interface Sorted {
  version: number;
  view: ViewName;
  sort: SortSpec;
  rows: ViewRow[];
  /** Lines in the view that are not leaving (the "of N" count). */
  live: number;
}
let sortedCache: Sorted | null = null;

function viewMembers(rows: ReadonlyMap<string, SocketRow>, view: ViewName): Iterable<SocketRow> {
  if (view === 'all') return rows.values();
  const out: SocketRow[] = [];
  for (const r of rows.values()) if (isListening(r)) out.push(r);
  return out;
}

function isLeaving(meta: ReadonlyMap<string, RowMeta>, vr: ViewRow): boolean {
  for (const m of vr.members) if (!meta.get(m.key)?.removedAt) return false;
  return true;
}

/** Lines of the All view that are not leaving: every row, minus those marked as removed. */
function liveInAll(s: PortState): number {
  let leaving = 0;
  for (const m of s.meta.values()) if (m.removedAt !== null) leaving++;
  return s.rows.size - leaving;
}

/**
 * Every line of the current view, merged and sorted (filter not applied). In All sockets (one line
 * per socket) a delta updates the previous order incrementally, so 100 changes among 10,000 rows
 * cost a linear pass, not a full sort.
 */
export function selectSorted(s: PortState): Sorted {
  const c = sortedCache;
  if (c && c.version === s.version && c.view === s.view && c.sort === s.sort) return c;
  const changed =
    c && c.view === 'all' && s.view === 'all' && c.sort === s.sort ? dirtySince(c.version) : null;
  let sorted: ViewRow[];
  let live: number;
  if (c && changed) {
    sorted = resortIncremental(
      c.rows,
      changed,
      (key) => {
        const r = s.rows.get(key);
        return r ? { key, row: r, members: [r] } : null;
      },
      s.sort,
    );
    live = liveInAll(s);
  } else {
    const merged = toViewRows(viewMembers(s.rows, s.view), s.view === 'listening');
    live = 0;
    for (const vr of merged) if (!isLeaving(s.meta, vr)) live++;
    sorted = sortViewRows(merged, s.sort);
  }
  clearDirty(s.version);
  sortedCache = { version: s.version, view: s.view, sort: s.sort, rows: sorted, live };
  return sortedCache;
}

/** Compiled filters of the last few texts (the input's and the shown one's alternate while typing). */
const filterCache = new Map<string, CompiledFilter>();

/** The compiled filter for a text (typing compiles each text once). */
function compiled(text: string): CompiledFilter {
  let f = filterCache.get(text);
  if (!f) {
    if (filterCache.size >= 8) filterCache.delete(filterCache.keys().next().value as string);
    f = parseFilter(text);
    filterCache.set(text, f);
  }
  return f;
}

/**
 * True when `next` only narrows `prev`: characters appended to a plain last word (no key, quote,
 * negation or colon involved). Every row matching "nod" ⊇ rows matching "node", so typing can
 * filter the previous result instead of every row.
 */
export function narrows(prev: string, next: string): boolean {
  if (!next.startsWith(prev) || next === prev) return false;
  const last = /\S+$/.exec(prev)?.[0];
  if (!last || /["':]/.test(last) || last.startsWith('-')) return false;
  if ((prev.match(/"/g)?.length ?? 0) % 2 !== 0) return false;
  return /^[^\s"':]+$/.test(next.slice(prev.length));
}

/**
 * Filter results of recent texts over one sorted list. Backspace returns to a text typed a moment
 * ago (answered from here without a pass over every row), and a longer text is filtered from the
 * result of the longest cached text it narrows. Dropped whenever the sorted list changes.
 */
const RESULTS_KEPT = 24;
let resultsOf: Sorted | null = null;
const results = new Map<string, ViewRow[]>();

/** Whether a line passes: any of its members (IPv4/IPv6 twins) does. */
function passes(vr: ViewRow, test: CompiledFilter['test']): boolean {
  const ms = vr.members;
  if (ms.length === 1) return test(ms[0] as SocketRow);
  for (const m of ms) if (test(m)) return true;
  return false;
}

/** Filter results cached for `sorted`: `hit` when known, else where to filter from. */
function lookup(
  sorted: Sorted,
  text: string,
): { hit: ViewRow[] } | { filter: CompiledFilter; from: ViewRow[] } {
  if (resultsOf !== sorted) {
    results.clear();
    resultsOf = sorted;
  }
  const hit = results.get(text);
  if (hit) return { hit };
  const filter = compiled(text);
  if (filter.empty) return { hit: remember(text, sorted.rows) };
  // Typing more of a word: only the rows that matched the shorter text can match the longer one.
  let from = sorted.rows;
  let fromLen = -1;
  for (const [t, r] of results) {
    if (t.length > fromLen && r.length <= from.length && narrows(t, text)) {
      from = r;
      fromLen = t.length;
    }
  }
  return { filter, from };
}

function remember(text: string, rows: ViewRow[]): ViewRow[] {
  if (results.size >= RESULTS_KEPT) results.delete(results.keys().next().value as string);
  results.set(text, rows);
  return rows;
}

/** The lines of `sorted` that pass the filter `text` (memoised per sorted list and text). */
export function visibleRowsFor(sorted: Sorted, text: string): ViewRow[] {
  const l = lookup(sorted, text);
  if ('hit' in l) return l.hit;
  const test = l.filter.test;
  const out: ViewRow[] = [];
  for (const vr of l.from) if (passes(vr, test)) out.push(vr);
  return remember(text, out);
}

/** Longest stretch of filtering between two chances for a keystroke to be handled. */
const SLICE_MS = 4;

/** True when a keystroke or click is waiting (Chromium's isInputPending; false where unknown). */
function inputPending(): boolean {
  const sched = (navigator as { scheduling?: { isInputPending?(): boolean } }).scheduling;
  return sched?.isInputPending?.() ?? false;
}

/** Run `fn` as a new task soon (not a microtask: input and frames go first). */
function nextTask(fn: () => void): void {
  const sched = (globalThis as { scheduler?: { postTask?(cb: () => void): Promise<unknown> } }).scheduler;
  if (sched?.postTask) void sched.postTask(fn);
  else setTimeout(fn, 0);
}

/**
 * Filter the current rows for `text` in slices of at most ~4 ms, so a keystroke that arrives while
 * 10,000 rows are filtered is painted at once instead of after the whole pass; the result lands in
 * the cache `visibleRowsFor` reads. `done` runs when the rows are ready (not when cancelled). A
 * delta that changes the rows meanwhile restarts the pass on the new list.
 */
export function prepareFilter(text: string, done: () => void): () => void {
  let cancelled = false;
  let sorted = selectSorted(usePortStore.getState());
  let l = lookup(sorted, text);
  let i = 0;
  let finished = false;
  const out: ViewRow[] = [];
  const step = () => {
    if (cancelled) return;
    const now = selectSorted(usePortStore.getState());
    if (now !== sorted) {
      sorted = now;
      l = lookup(sorted, text);
      i = 0;
      finished = false;
      out.length = 0;
    }
    if (!('hit' in l) && !finished) {
      const { from } = l;
      const test = l.filter.test;
      const until = performance.now() + SLICE_MS;
      while (i < from.length) {
        const vr = from[i++] as ViewRow;
        if (passes(vr, test)) out.push(vr);
        if ((i & 511) === 0 && (performance.now() >= until || inputPending())) break;
      }
      if (i < from.length) return nextTask(step);
      finished = true;
      remember(text, out.slice());
    }
    // Showing the rows is ~10 ms of rendering that cannot be interrupted: a keystroke already
    // waiting goes first (it usually makes these rows stale anyway).
    if (inputPending()) return nextTask(step);
    done();
  };
  step();
  return () => {
    cancelled = true;
  };
}

/** The lines the table shows: view → merge → sort → filter. */
export function selectVisible(s: PortState): ViewRow[] {
  return visibleRowsFor(selectSorted(s), s.filterText);
}

/**
 * The filter text the table shows results for. It trails the input by a render: a keystroke first
 * paints the input (React renders it urgently, without filtering 10,000 rows), then the rows.
 */
export const useShownFilterText = (): string => usePortStore((s) => s.shownFilterText);

/** Rows the table shows, in order (for the deferred filter text). */
export const useVisibleRows = (): ViewRow[] => {
  const text = useShownFilterText();
  const sorted = usePortStore(selectSorted);
  return useMemo(() => visibleRowsFor(sorted, text), [sorted, text]);
};

/**
 * "12 of 340": lines shown after the filter, lines in the view (both counting rows still on screen
 * while they leave), and `live`: lines in the view that are not leaving.
 */
export const useCounts = (): { shown: number; total: number; live: number } => {
  const text = useShownFilterText();
  const { total, live, sorted } = usePortStore(
    useShallow((s) => {
      const sorted = selectSorted(s);
      return { total: sorted.rows.length, live: sorted.live, sorted };
    }),
  );
  const shown = useMemo(() => visibleRowsFor(sorted, text).length, [sorted, text]);
  return { shown, total, live };
};

/** Lines in the view that are not leaving (the status bar's count; no filter involved). */
export const useLiveCount = (): number => usePortStore((s) => selectSorted(s).live);

/** Problems in the text the rows on screen are for (the hint follows the rows, like the count). */
export const useShownFilterIssues = () => usePortStore((s) => compiled(s.shownFilterText).issues);

export const useView = () => usePortStore((s) => s.view);
export const useSort = () => usePortStore((s) => s.sort);
export const useStatus = () => usePortStore((s) => s.status);
export const useConnection = () => usePortStore((s) => s.connection);
export const useErrors = () => usePortStore((s) => s.errors);
export const useLoadError = () => usePortStore((s) => s.loadError);
export const useLastUpdate = () => usePortStore((s) => s.lastUpdate);
/** True once the first snapshot has arrived (before that the table says "Loading…"). */
export const useLoaded = () => usePortStore((s) => s.seq !== null);
export const useSelectedKey = () => usePortStore((s) => s.selectedKey);
export const useDetailsOpen = () => usePortStore((s) => s.detailsOpen);

/** The highlight marks of a row (read during render; the table re-renders on every version). */
export function getRowMeta(key: string): RowMeta | undefined {
  return usePortStore.getState().meta.get(key);
}

let selectedCache: { sorted: Sorted; key: string; row: ViewRow | null } | null = null;

/**
 * The selected line as the table shows it, or null (none selected, or it has gone). Looked up once
 * per sorted list and key: the store runs every selector on every change, keystrokes included.
 */
export function selectSelectedRow(s: PortState): ViewRow | null {
  if (s.selectedKey === null) return null;
  const sorted = selectSorted(s);
  const c = selectedCache;
  if (c && c.sorted === sorted && c.key === s.selectedKey) return c.row;
  const row = sorted.rows.find((vr) => vr.key === s.selectedKey) ?? null;
  selectedCache = { sorted, key: s.selectedKey, row };
  return row;
}

export const useSelectedRow = (): ViewRow | null => usePortStore(selectSelectedRow);

let listeningCache: { version: number; rows: ViewRow[] } | null = null;

/** Listening sockets (merged twins, by port), excluding rows that are leaving: for the quick view etc. */
export function selectListening(s: PortState): ViewRow[] {
  if (listeningCache?.version === s.version) return listeningCache.rows;
  const live: SocketRow[] = [];
  for (const r of s.rows.values()) if (isListening(r) && !s.meta.get(r.key)?.removedAt) live.push(r);
  const rows = sortViewRows(toViewRows(live, true), { column: 'port', dir: 'asc' });
  listeningCache = { version: s.version, rows };
  return rows;
}

/** Listening view rows (merged twins, sorted by port, nothing that is leaving), whatever the table view. */
export const useListeningRows = (): ViewRow[] => usePortStore(selectListening);

let pidCache: { version: number; pid: number; rows: SocketRow[] } | null = null;

/** Every socket a process holds (in the collected scope), for the details panel. */
export function selectSocketsOfPid(s: PortState, pid: number | null): SocketRow[] {
  if (pid === null) return EMPTY;
  if (pidCache?.version === s.version && pidCache.pid === pid) return pidCache.rows;
  const rows: SocketRow[] = [];
  for (const r of s.rows.values()) if (r.pid === pid && !s.meta.get(r.key)?.removedAt) rows.push(r);
  rows.sort((a, b) => a.localPort - b.localPort || (a.key < b.key ? -1 : 1));
  pidCache = { version: s.version, pid, rows };
  return rows;
}
const EMPTY: SocketRow[] = [];

export const useSocketsOfPid = (pid: number | null): SocketRow[] =>
  usePortStore((s) => selectSocketsOfPid(s, pid));

// Keystrokes filter in slices (see prepareFilter); the store shows a text once its rows are ready.
setFilterPreparer(prepareFilter);
