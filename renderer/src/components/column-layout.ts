import type { ColumnPref } from '../../../shared/settings';
import type { ViewName } from '../../../shared/view';
import { CELL_PAD, COLUMNS, type Column, inView, MONO_ADVANCE_PX } from './columns';

/**
 * Where the columns go: the user's order, visibility and widths (settings `columns`) over the
 * registry's defaults, fitted to the width the table has. Pure, so it is tested without a DOM.
 */

/** Width of the trailing actions column (Open, Copy, Kill). */
export const ACTIONS_PX = 92;

/** A column as laid out: its width in px and how many characters are sure to fit it. */
export interface PlacedColumn extends Column {
  px: number;
  /** Characters shown without any chance of overflowing (then the cell skips its clip). */
  safe: number;
}

/** Widest glyph of the table's fonts, in px: 13 px proportional text ('W', 'm'), 12 px monospace. */
const WIDEST_PX = 13;
const WIDEST_MONO_PX = 8;

/** A column's place in the user's arrangement (absent = registry default). */
export interface ColumnChoice {
  column: Column;
  visible: boolean;
  /** Width the user dragged it to; null = the registry's. */
  width: number | null;
}

/**
 * Every column of a view in the user's order: those the user arranged first (in their order), then
 * the rest in registry order, so a column another helper adds later shows up with its defaults.
 * `view` null: every column (the chooser edits the whole arrangement, whatever the view).
 */
export function arrangeColumns(
  prefs: readonly ColumnPref[],
  view: ViewName | null,
  registry = COLUMNS,
): ColumnChoice[] {
  const fits = (c: Column) => view === null || inView(c, view);
  const out: ColumnChoice[] = [];
  const seen = new Set<string>();
  for (const p of prefs) {
    const column = registry.find((c) => c.id === p.id);
    if (!column || seen.has(p.id)) continue;
    seen.add(p.id);
    if (fits(column)) out.push({ column, visible: p.visible, width: p.width });
  }
  for (const column of registry) {
    if (seen.has(column.id) || !fits(column)) continue;
    out.push({ column, visible: column.defaultVisible !== false, width: null });
  }
  return out;
}

/**
 * The visible columns fitted to `available` px: while the narrowest widths do not fit, the least
 * important column goes first (Started, Service, User … never Port); the spare width is shared by
 * the growing columns. `dropped` names the ones the window was too narrow for.
 */
export function layoutColumns(
  choices: readonly ColumnChoice[],
  available: number,
): { columns: PlacedColumn[]; dropped: Column[] } {
  const shown = choices.filter((c) => c.visible);
  const minOf = (c: ColumnChoice) => c.width ?? c.column.min;
  const dropped: Column[] = [];
  const total = () => shown.reduce((n, c) => n + minOf(c), ACTIONS_PX);
  while (shown.length > 1 && total() > available) {
    let lowest = 0;
    for (let i = 1; i < shown.length; i++) {
      if ((shown[i]?.column.priority ?? 0) < (shown[lowest]?.column.priority ?? 0)) lowest = i;
    }
    const [gone] = shown.splice(lowest, 1);
    if (gone) dropped.push(gone.column);
  }
  const spare = Math.max(0, available - total());
  const growOf = (c: ColumnChoice) => (c.width === null ? c.column.grow : 0);
  const grow = shown.reduce((n, c) => n + growOf(c), 0);
  const columns = shown.map((c): PlacedColumn => {
    const px = Math.floor(minOf(c) + (grow > 0 ? (spare * growOf(c)) / grow : 0));
    const glyph = c.column.mono ? WIDEST_MONO_PX : WIDEST_PX;
    const safe = c.column.fits ? Number.POSITIVE_INFINITY : Math.floor((px - CELL_PAD) / glyph);
    return { ...c.column, px, safe };
  });
  return { columns, dropped };
}

/** The CSS grid template of the rows (shared by header and body so they line up). */
export function gridTemplate(cols: readonly PlacedColumn[]): string {
  return `${cols.map((c) => `${c.px}px`).join(' ')} ${ACTIONS_PX}px`;
}

/** Whether this cell's text can overflow its column (then it clips with an ellipsis and a tooltip). */
export function mayOverflow(c: PlacedColumn, text: string | number): boolean {
  return String(text).length > c.safe;
}

/** Characters of monospace text a column of `px` shows (the Command column's ellipsis budget). */
export function monoChars(px: number): number {
  return Math.floor((px - CELL_PAD) / MONO_ADVANCE_PX);
}

/** Settings after the user moved, showed, hid or resized a column: the full arrangement, in order. */
export function toPrefs(choices: readonly ColumnChoice[]): ColumnPref[] {
  return choices.map((c) => ({ id: c.column.id, visible: c.visible, width: c.width }));
}

/** Move the column at `from` by `delta` places (bounded). */
export function moveChoice(choices: readonly ColumnChoice[], from: number, delta: number): ColumnChoice[] {
  const to = Math.max(0, Math.min(choices.length - 1, from + delta));
  const out = [...choices];
  const [item] = out.splice(from, 1);
  if (item) out.splice(to, 0, item);
  return out;
}
