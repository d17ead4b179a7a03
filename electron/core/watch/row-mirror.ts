import type { Delta, SocketRow } from '../../../shared/model';
import { isListening } from '../../../shared/socket-rules';

/**
 * The listening rows the tray shows, kept up to date from the monitor's snapshot and deltas without
 * copying the whole table each tick (Monitor.current() clones every row). Pure: unit-tested.
 */
export interface RowMirror {
  reset(rows: readonly SocketRow[]): void;
  /** Apply a delta; true when a listening row was added, removed or changed (the menu must change). */
  apply(delta: Delta): boolean;
  rows(): SocketRow[];
}

/** Create an empty mirror of the listening rows. */
export function createRowMirror(): RowMirror {
  const rows = new Map<string, SocketRow>();
  return {
    reset(list) {
      rows.clear();
      for (const r of list) if (isListening(r)) rows.set(r.key, r);
    },
    apply(delta) {
      let changed = false;
      for (const key of delta.removed) changed = rows.delete(key) || changed;
      for (const r of [...delta.added, ...delta.changed]) {
        if (isListening(r)) {
          rows.set(r.key, r);
          changed = true;
        } else if (rows.delete(r.key)) {
          changed = true;
        }
      }
      return changed;
    },
    rows: () => [...rows.values()],
  };
}
