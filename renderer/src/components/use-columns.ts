import { useEffect, useMemo, useState } from 'react';
import type { ColumnPref } from '../../../shared/settings';
import type { ViewName } from '../../../shared/view';
import { useSettings, useSettingsStore } from '../features/settings/settings-store';
import { toast } from '../features/toast';
import { arrangeColumns, layoutColumns, type PlacedColumn } from './column-layout';

/** The columns as the user arranged them (settings), for the table and the chooser. */
export function useColumnPrefs(): ColumnPref[] {
  return useSettings((s) => s.columns);
}

/** Save a new arrangement; a refusal is said, never swallowed. */
export async function saveColumnPrefs(columns: ColumnPref[]): Promise<void> {
  try {
    await useSettingsStore.getState().save({ columns });
  } catch (e) {
    toast(`Columns not saved: ${(e as Error)?.message ?? String(e)}`, 'error');
  }
}

/** The width of an element, followed as it changes (`fallback` until measured, and in jsdom). */
export function useWidth(ref: React.RefObject<HTMLElement | null>, fallback: number): number {
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const measure = () => {
      // clientWidth leaves out the vertical scrollbar: the columns must fit beside it.
      if (el.clientWidth > 0) setWidth(el.clientWidth);
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

/**
 * The visible columns of a view, fitted to `available` px, with the user's widths and any width
 * being dragged right now (`dragging`) applied.
 */
export function usePlacedColumns(
  view: ViewName,
  available: number,
  dragging: { id: string; width: number } | null,
): { columns: PlacedColumn[]; dropped: number } {
  const prefs = useColumnPrefs();
  return useMemo(() => {
    const choices = arrangeColumns(prefs, view).map((c) =>
      dragging && c.column.id === dragging.id ? { ...c, width: dragging.width } : c,
    );
    const { columns, dropped } = layoutColumns(choices, available);
    return { columns, dropped: dropped.length };
  }, [prefs, view, available, dragging]);
}
