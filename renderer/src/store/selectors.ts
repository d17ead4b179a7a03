import type { FilterIssue } from '../../../shared/filter';
import type { SocketRow } from '../../../shared/model';
import { isListening } from '../../../shared/socket-rules';
import {
  resortIncremental,
  type SortSpec,
  sortViewRows,
  toViewRows,
  type ViewName,
  type ViewRow,
} from '../../../shared/view';
import { FilterResults, passes } from './filter-results';
import type { PortState, RowMeta } from './port-state';

/**
 * Derived data of one store. Every selector is a pure function of the state it is given (reading
 * changes nothing the state or another selector can see); each memoises its last answer on exactly
 * what it depends on, in caches that belong to this store and die with it. The store's version never
 * goes back, so a memo keyed on it can never answer for other rows.
 */

export interface Sorted {
  version: number;
  view: ViewName;
  sort: SortSpec;
  rows: ViewRow[];
  /** Lines in the view that are not leaving (the "of N" count). */
  live: number;
}

export interface Selectors {
  /** Every line of the current view, merged and sorted (filter not applied). */
  sorted(s: PortState): Sorted;
  /** The lines the table shows: view → merge → sort → filter (for the input's text). */
  visible(s: PortState): ViewRow[];
  /** The lines of `sorted` that pass the filter `text`. */
  visibleFor(sorted: Sorted, text: string): ViewRow[];
  /** Problems in a filter text (compiled once per text). */
  filterIssues(text: string): FilterIssue[];
  /**
   * Filter the current rows for `text` in slices of at most ~4 ms, so a keystroke that arrives
   * meanwhile is painted at once; `done` runs when the rows are ready. Returns a cancel function.
   */
  prepareFilter(text: string, done: () => void): () => void;
  /** Listening sockets (merged twins, by port), without rows that are leaving (quick view, palette). */
  listening(s: PortState): ViewRow[];
  /** The selected line as the table shows it, or null (none selected, or it has gone). */
  selectedRow(s: PortState): ViewRow | null;
  /** Every live socket the process holds (as any of its holders), for the details panel. */
  socketsOfPid(s: PortState, pid: number | null): SocketRow[];
}

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

/** Longest stretch of filtering between two chances for a keystroke to be handled. */
const SLICE_MS = 4;

/** True when a keystroke or click is waiting (Chromium's isInputPending; false where unknown). */
function inputPending(): boolean {
  const sched = (globalThis.navigator as { scheduling?: { isInputPending?(): boolean } } | undefined)
    ?.scheduling;
  return sched?.isInputPending?.() ?? false;
}

/** Run `fn` as a new task soon (not a microtask: input and frames go first). */
function nextTask(fn: () => void): void {
  const sched = (globalThis as { scheduler?: { postTask?(cb: () => void): Promise<unknown> } }).scheduler;
  if (sched?.postTask) void sched.postTask(fn);
  else setTimeout(fn, 0);
}

const EMPTY: SocketRow[] = [];

/**
 * The selectors of one store. `changedSince(from, to)` gives the keys set or deleted between two
 * versions (null when unknown): in All sockets a delta then re-sorts incrementally, so 100 changes
 * among 10,000 rows cost a linear pass, not a full sort.
 */
export function createSelectors(
  store: { getState(): PortState },
  changedSince: (from: number, to: number, limit?: number) => ReadonlySet<string> | null,
): Selectors {
  let sortedMemo: Sorted | null = null;
  const filters = new FilterResults();
  let selectedMemo: { sorted: Sorted; key: string; row: ViewRow | null } | null = null;
  let listeningMemo: { version: number; rows: ViewRow[] } | null = null;
  let pidMemo: { version: number; pid: number; rows: SocketRow[] } | null = null;

  const sorted = (s: PortState): Sorted => {
    const c = sortedMemo;
    if (c && c.version === s.version && c.view === s.view && c.sort === s.sort) return c;
    const changed =
      c && c.view === 'all' && s.view === 'all' && c.sort === s.sort && c.version < s.version
        ? // Past a quarter of the rows, sorting afresh beats merging that many changes one by one.
          changedSince(c.version, s.version, Math.max(256, c.rows.length >> 2))
        : null;
    let rows: ViewRow[];
    let live: number;
    if (c && changed) {
      rows = resortIncremental(
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
      rows = sortViewRows(merged, s.sort);
    }
    sortedMemo = { version: s.version, view: s.view, sort: s.sort, rows, live };
    return sortedMemo;
  };

  const visibleFor = (sd: Sorted, text: string) => filters.visible(sd.rows, text);

  const prepareFilter = (text: string, done: () => void): (() => void) => {
    let cancelled = false;
    let sd = sorted(store.getState());
    let l = filters.lookup(sd.rows, text);
    let i = 0;
    let finished = false;
    const out: ViewRow[] = [];
    const step = () => {
      if (cancelled) return;
      const now = sorted(store.getState());
      if (now !== sd) {
        // A delta changed the rows meanwhile: start over on the new list.
        sd = now;
        l = filters.lookup(sd.rows, text);
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
        filters.remember(sd.rows, text, out.slice());
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
  };

  return {
    sorted,
    visible: (s) => visibleFor(sorted(s), s.filterText),
    visibleFor,
    filterIssues: (text) => filters.compiled(text).issues,
    prepareFilter,
    listening(s) {
      if (listeningMemo?.version === s.version) return listeningMemo.rows;
      const live: SocketRow[] = [];
      for (const r of s.rows.values()) if (isListening(r) && !s.meta.get(r.key)?.removedAt) live.push(r);
      const rows = sortViewRows(toViewRows(live, true), { column: 'port', dir: 'asc' });
      listeningMemo = { version: s.version, rows };
      return rows;
    },
    selectedRow(s) {
      if (s.selectedKey === null) return null;
      const sd = sorted(s);
      const c = selectedMemo;
      if (c && c.sorted === sd && c.key === s.selectedKey) return c.row;
      const row = sd.rows.find((vr) => vr.key === s.selectedKey) ?? null;
      selectedMemo = { sorted: sd, key: s.selectedKey, row };
      return row;
    },
    socketsOfPid(s, pid) {
      if (pid === null) return EMPTY;
      if (pidMemo?.version === s.version && pidMemo.pid === pid) return pidMemo.rows;
      const rows: SocketRow[] = [];
      for (const r of s.rows.values()) {
        if (s.meta.get(r.key)?.removedAt) continue;
        if (r.pid === pid || r.owners.some((o) => o.pid === pid)) rows.push(r);
      }
      rows.sort((a, b) => a.localPort - b.localPort || (a.key < b.key ? -1 : 1));
      pidMemo = { version: s.version, pid, rows };
      return rows;
    },
  };
}
