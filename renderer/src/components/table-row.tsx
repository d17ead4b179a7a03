// biome-ignore-all lint/a11y/useSemanticElements: a virtualized ARIA grid is made of positioned divs; <table> rows cannot be absolutely placed
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid itself holds focus and points at rows with aria-activedescendant
// biome-ignore-all lint/a11y/useKeyWithClickEvents: the grid handles the keyboard for every row (arrows, Enter, Delete)
import { type CSSProperties, memo } from 'react';
import type { ViewRow } from '../../../shared/view';
import type { RowMeta } from '../store';
import { mayOverflow, type PlacedColumn } from './column-layout';
import {
  askCloseConnection,
  askKill,
  canCloseConnection,
  canOpen,
  closeConnectionLabel,
  copyRows,
  killLabel,
  openPort,
  openUrl,
} from './row-actions';
import { useCanCloseConnections } from './use-close-support';

export interface TableRowProps {
  vr: ViewRow;
  index: number;
  cols: PlacedColumn[];
  /** The engine runs as root: a hidden holder is in another PID namespace (see holderText). */
  privileged: boolean;
  top: number;
  selected: boolean;
  meta: RowMeta | undefined;
  /** Glow/linger duration, so the CSS animation and the store agree. */
  lingerMs: number;
  /** Render time: when a new row's glow started (only read when the row renders for other reasons). */
  now: number;
  /** Time for the cells (dates): moves once a minute, so it does not re-render every row per frame. */
  clock: number;
  onSelect(key: string): void;
}

/** DOM id of a row (for aria-activedescendant). Keys are engine-made; keep ids to a safe alphabet. */
export function rowDomId(key: string): string {
  return `ps-row-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/**
 * Same line, same look: every prop but `now`. A row's glow ends by its mark being swept (a new `meta`),
 * so `now` alone never changes what a row shows; comparing it would re-render every row per render.
 */
function sameRow(a: TableRowProps, b: TableRowProps): boolean {
  return (
    a.vr === b.vr &&
    a.meta === b.meta &&
    a.top === b.top &&
    a.index === b.index &&
    a.selected === b.selected &&
    a.cols === b.cols &&
    a.privileged === b.privileged &&
    a.clock === b.clock &&
    a.lingerMs === b.lingerMs &&
    a.onSelect === b.onSelect
  );
}

/** One line of the grid. Re-renders only when what it shows changed (memo). */
export const TableRow = memo(function TableRow(p: TableRowProps) {
  const { vr, meta, now } = p;
  const row = vr.row;
  const gone = !!meta?.removedAt;
  const closable = useCanCloseConnections();
  const fresh = !gone && meta?.addedAt != null && now - meta.addedAt < p.lingerMs;
  const style: CSSProperties = { transform: `translateY(${p.top}px)` };
  // Rows mount late when scrolled into view: start the fade where it would be by now.
  if (fresh && meta?.addedAt != null) style.animationDelay = `-${now - meta.addedAt}ms`;
  const cls = `ps-row ps-body-row${fresh ? ' ps-row-new' : ''}${gone ? ' ps-row-gone' : ''}`;
  const members = vr.members.map((m) => m.localAddress).join(' and ');
  return (
    <div
      role="row"
      id={rowDomId(vr.key)}
      aria-rowindex={p.index + 2}
      aria-selected={p.selected}
      data-key={vr.key}
      data-state={gone ? 'gone' : fresh ? 'new' : undefined}
      className={cls}
      style={style}
      onClick={() => p.onSelect(vr.key)}
    >
      {p.cols.map((c) => {
        const extra = c.cls?.(vr);
        const text = c.text(vr, p.clock, c.px, p.privileged);
        // Text that cannot overflow skips the clip (see Column.fits); text that may be cut gets a
        // tooltip with all of it (the column's own, else the text itself).
        const clipped = mayOverflow(c, text);
        const fit = clipped ? '' : ' ps-fit';
        const title =
          c.id === 'local' && vr.members.length > 1
            ? members
            : (c.title?.(vr, p.privileged) ?? (clipped ? String(text) : undefined));
        return (
          <div
            key={c.id}
            role="gridcell"
            className={`ps-cell${c.numeric ? ' ps-num' : ''}${fit}${extra ? ` ${extra}` : ''}`}
            title={title}
          >
            {text}
          </div>
        );
      })}
      <div role="gridcell" className="ps-cell ps-actions">
        {canOpen(row) && !gone ? (
          <button
            type="button"
            className="ps-icon-btn ps-icon-open"
            aria-label={`Open ${openUrl(row.localPort)}`}
            title={`Open ${openUrl(row.localPort)}`}
            tabIndex={-1}
            onClick={(e) => {
              e.stopPropagation();
              void openPort(row);
            }}
          />
        ) : null}
        {closable && canCloseConnection(row) && !gone ? (
          <button
            type="button"
            className="ps-icon-btn ps-icon-close-conn"
            aria-label={closeConnectionLabel(row)}
            title={closeConnectionLabel(row)}
            tabIndex={-1}
            onClick={(e) => {
              e.stopPropagation();
              askCloseConnection(row);
            }}
          />
        ) : null}
        <button
          type="button"
          className="ps-icon-btn ps-icon-copy"
          aria-label={`Copy row ${row.localPort}`}
          title="Copy row"
          tabIndex={-1}
          onClick={(e) => {
            e.stopPropagation();
            void copyRows(vr.members);
          }}
        />
        {(row.pid !== null || row.container) && !gone && (
          <button
            type="button"
            className="ps-icon-btn ps-icon-kill ps-kill"
            aria-label={killLabel(row)}
            title={killLabel(row)}
            tabIndex={-1}
            onClick={(e) => {
              e.stopPropagation();
              askKill(row);
            }}
          />
        )}
      </div>
    </div>
  );
}, sameRow);
