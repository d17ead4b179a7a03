import { create } from 'zustand';
import type { HistoryResult } from '../../../../shared/history';
import { getApi } from '../../api';

/**
 * The History view's state: whether it is shown, the window and filter it asks for, and the last
 * answer. Queries go through `history:query`; an answer that comes back after a newer question was
 * asked is dropped.
 */

/** The windows the view offers, in ms. */
export const HISTORY_RANGES = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
  { label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;

export interface HistoryUiState {
  open: boolean;
  rangeMs: number;
  filter: string;
  /** "What held this port at …": a moment (ms) or null. */
  at: number | null;
  result: HistoryResult | null;
  loading: boolean;
  error: string | null;
  setOpen(open: boolean): void;
  setRange(ms: number): void;
  setFilter(text: string): void;
  setAt(at: number | null): void;
  refresh(): Promise<void>;
}

let asked = 0;

export const useHistoryStore = create<HistoryUiState>((set, get) => ({
  open: false,
  rangeMs: 86_400_000,
  filter: '',
  at: null,
  result: null,
  loading: false,
  error: null,
  setOpen: (open) => {
    set({ open });
    if (open) void get().refresh();
  },
  setRange: (rangeMs) => {
    set({ rangeMs });
    void get().refresh();
  },
  setFilter: (filter) => set({ filter }),
  setAt: (at) => set({ at }),
  async refresh() {
    const id = ++asked;
    const { rangeMs, filter } = get();
    const to = Date.now();
    set({ loading: true });
    try {
      const q = { from: to - rangeMs, to, ...(filter.trim() ? { filter: filter.trim() } : {}) };
      const result = await getApi().request('history:query', q);
      if (id === asked) set({ result, loading: false, error: null });
    } catch (e) {
      if (id === asked) set({ loading: false, error: (e as Error).message });
    }
  },
}));
