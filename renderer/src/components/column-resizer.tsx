import { type PointerEvent, useRef } from 'react';
import { useSettingsStore } from '../features/settings/settings-store';
import { arrangeColumns, type PlacedColumn, toPrefs } from './column-layout';
import { saveColumnPrefs } from './use-columns';

/** Narrowest width a drag leaves a column. */
export const MIN_DRAG_PX = 40;

/** Save one column's width (null = back to the registry's) into the whole arrangement. */
export function saveColumnWidth(id: string, width: number | null): Promise<void> {
  const prefs = useSettingsStore.getState().settings?.columns ?? [];
  const choices = arrangeColumns(prefs, null).map((c) => (c.column.id === id ? { ...c, width } : c));
  return saveColumnPrefs(toPrefs(choices));
}

/**
 * The drag handle on a header's right edge: drag to resize (the table follows live, the width is
 * saved on release), double-click for the default width. Pointer only: the column chooser offers
 * the same reset from the keyboard, so the handle stays out of the tab order and the a11y tree.
 */
export function ColumnResizer(p: {
  column: PlacedColumn;
  onDrag(drag: { id: string; width: number } | null): void;
}) {
  const start = useRef<{ x: number; px: number; width: number } | null>(null);
  const { column, onDrag } = p;
  const down = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    start.current = { x: e.clientX, px: column.px, width: column.px };
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    const s = start.current;
    if (!s) return;
    s.width = Math.max(MIN_DRAG_PX, Math.round(s.px + e.clientX - s.x));
    onDrag({ id: column.id, width: s.width });
  };
  const up = () => {
    const s = start.current;
    start.current = null;
    if (!s) return;
    if (s.width !== s.px) void saveColumnWidth(column.id, s.width).finally(() => onDrag(null));
    else onDrag(null);
  };
  return (
    <div
      className="ps-col-resizer"
      aria-hidden="true"
      title={`Drag to resize ${column.label}; double-click for the default width`}
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
      onClick={(e) => e.stopPropagation()}
      onDoubleClick={(e) => {
        e.stopPropagation();
        void saveColumnWidth(column.id, null);
      }}
    />
  );
}
