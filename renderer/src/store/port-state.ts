import type { ConnectionState } from '../../../shared/contract';
import type { MonitorStatus, SocketRow, SourceError } from '../../../shared/model';
import type { SortColumn, SortSpec, ViewName } from '../../../shared/view';

/** Highlight marks: when a row appeared (green glow) or disappeared (dimmed red, then gone). */
export interface RowMeta {
  addedAt: number | null;
  removedAt: number | null;
}

/** How long a closed row stays visible, and how long a new row glows. */
export const LINGER_MS = 3000;

/** How long after a keystroke the table holds still (deltas wait): typing gets every frame. */
export const TYPING_HOLD_MS = 300;

/**
 * The port table's state. Rows live in one mutable Map owned by the store (10,000 rows must not be
 * copied on every delta); `version` bumps whenever rows or their highlight marks change and never
 * goes back for one store, so derived values can be memoised on it.
 */
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
export function savedView(): ViewName {
  try {
    return globalThis.localStorage?.getItem(VIEW_KEY) === 'all' ? 'all' : 'listening';
  } catch {
    return 'listening'; // Storage disabled: the default view is fine.
  }
}

/** Remember the view for the next window. */
export function saveView(view: ViewName): void {
  try {
    globalThis.localStorage?.setItem(VIEW_KEY, view);
  } catch {
    // Not persisted; nothing else depends on it.
  }
}

/**
 * Keys set or deleted per version, for the last few versions: lets the sort update incrementally.
 * Written only by the store when it commits a change; reading it changes nothing.
 */
export class ChangeLog {
  private entries: { version: number; keys: string[] }[] = [];
  constructor(private readonly kept = 32) {}

  /** Record the keys that changed to make `version`. */
  add(version: number, keys: string[]): void {
    this.entries.push({ version, keys });
    if (this.entries.length > this.kept) this.entries.shift();
  }

  /**
   * Keys changed after `from` up to `to`, or null when the log does not reach back that far or more
   * than `limit` keys changed (a snapshot or a scope switch: a full pass is cheaper than an
   * incremental one over most of the rows).
   */
  since(from: number, to: number, limit = Number.POSITIVE_INFINITY): ReadonlySet<string> | null {
    if (from === to) return new Set();
    const first = this.entries.findIndex((e) => e.version === from + 1);
    if (first < 0) return null;
    let count = 0;
    for (let i = first; i < this.entries.length; i++) {
      const e = this.entries[i] as { version: number; keys: string[] };
      if (e.version > to) break;
      count += e.keys.length;
      if (count > limit) return null;
    }
    const out = new Set<string>();
    for (let i = first; i < this.entries.length; i++) {
      const e = this.entries[i] as { version: number; keys: string[] };
      if (e.version > to) break;
      for (const k of e.keys) out.add(k);
    }
    return out;
  }
}
