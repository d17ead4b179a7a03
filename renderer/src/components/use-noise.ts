import { useMemo } from 'react';
import { create } from 'zustand';
import { anyRuleMatches, applyNoise, type NoiseRule, toggleRule } from '../../../shared/noise-rules';
import type { ViewRow } from '../../../shared/view';
import { useSettings, useSettingsStore } from '../features/settings/settings-store';
import { toast } from '../features/toast';
import { usePortState, usePortStoreApi, useVersion, useVisibleRows } from '../store';

/**
 * Noise control in the renderer: hide rules and favourites come from settings (every window shows
 * the same), "show all" is this page's own switch (a glance, not a setting). The store stays as it
 * is: the rules apply to the rows it hands out, so its filter and sort work unchanged.
 */

interface ShowHiddenState {
  showHidden: boolean;
  setShowHidden(on: boolean): void;
}

/** This page's "show hidden rows" switch. */
export const useShowHiddenStore = create<ShowHiddenState>((set) => ({
  showHidden: false,
  setShowHidden: (showHidden) => set({ showHidden }),
}));

const NO_RULES: NoiseRule[] = [];

/** The saved hide rules and favourites. */
export function useNoiseRules(): { hideRules: NoiseRule[]; favourites: NoiseRule[] } {
  const hideRules = useSettings((s) => s.hideRules) ?? NO_RULES;
  const favourites = useSettings((s) => s.favourites) ?? NO_RULES;
  return { hideRules, favourites };
}

/** Apply the rules to a list of lines: favourites on top, hidden ones out (unless showing all). */
export function useNoisyRows(rows: ViewRow[]): { rows: ViewRow[]; hidden: number } {
  const { hideRules, favourites } = useNoiseRules();
  const showHidden = useShowHiddenStore((s) => s.showHidden);
  return useMemo(() => {
    const out = applyNoise(rows, (vr) => vr.row, { hideRules, favourites, showHidden });
    return { rows: out.items, hidden: out.hidden };
  }, [rows, hideRules, favourites, showHidden]);
}

/** The lines the table shows: the store's filtered, sorted lines with the noise rules applied. */
export function useTableRows(): ViewRow[] {
  return useNoisyRows(useVisibleRows()).rows;
}

/**
 * The counts every place shows, so the filter box and the status bar agree: lines of the view that
 * are not leaving and not hidden (`live`), of those the ones the filter keeps (`shown`), and how many
 * lines hide rules keep out of the view (`hidden`).
 */
export function useNoiseCounts(): { live: number; shown: number; hidden: number } {
  const store = usePortStoreApi();
  const sorted = usePortState(store.select.sorted);
  const table = useTableRows();
  const version = useVersion();
  const { hideRules, favourites } = useNoiseRules();
  const showHidden = useShowHiddenStore((s) => s.showHidden);
  return useMemo(() => {
    void version;
    const { meta, view } = store.getState();
    let leavingRows = 0;
    for (const m of meta.values()) if (m.removedAt !== null) leavingRows++;
    const rules = hideRules.length > 0;
    // The common case, without a pass over 10,000 lines per delta: no hide rule, and in All sockets
    // (one line per row, every row of the store) the leaving lines are exactly the marked rows.
    if (!rules && view === 'all' && sorted.view === 'all') {
      const live = sorted.rows.length - leavingRows;
      // No filter: the table is the sorted list itself.
      if (table === sorted.rows) return { live, shown: live, hidden: 0 };
      if (leavingRows === 0) return { live, shown: table.length, hidden: 0 };
    }
    const leaving = (vr: ViewRow) => leavingRows > 0 && !!meta.get(vr.key)?.removedAt;
    let live = 0;
    let hidden = 0;
    for (const vr of sorted.rows) {
      const isHidden = rules && anyRuleMatches(vr.row, hideRules) && !anyRuleMatches(vr.row, favourites);
      if (isHidden) hidden++;
      if (leaving(vr) || (isHidden && !showHidden)) continue;
      live++;
    }
    let shown = 0;
    for (const vr of table) if (!leaving(vr)) shown++;
    return { live, shown, hidden };
  }, [store, sorted, table, version, hideRules, favourites, showHidden]);
}

/** Add or remove a hide rule / favourite and save it (a refusal is said in a toast). */
export async function toggleNoiseRule(list: 'hideRules' | 'favourites', rule: NoiseRule): Promise<void> {
  const { settings, save } = useSettingsStore.getState();
  const current = settings?.[list] ?? [];
  try {
    await save({ [list]: toggleRule(current, rule) });
  } catch (e) {
    toast(`Not saved: ${(e as Error)?.message ?? String(e)}`, 'error');
  }
}
