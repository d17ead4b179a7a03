// biome-ignore-all lint/a11y/useSemanticElements: a virtualized ARIA grid is made of positioned divs; <table> rows cannot be absolutely placed
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid itself holds focus and points at rows with aria-activedescendant
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ViewRow } from '../../../shared/view';
import {
  LINGER_MS,
  useLoaded,
  usePortStoreApi,
  useSelectedKey,
  useShownFilterText,
  useSort,
  useVersion,
  useView,
} from '../store';
import { gridTemplate } from './column-layout';
import { ColumnResizer } from './column-resizer';
import { askKill, copyRows } from './row-actions';
import { rowDomId, TableRow } from './table-row';
import { usePlacedColumns, useWidth } from './use-columns';
import { useTableRows } from './use-noise';
import { usePrivileged } from './use-privileged';
import '../styles/table.css';

/** Fixed row height (px): the virtualizer never measures, so rows arriving never shift the layout. */
export const ROW_H = 28;

/** Rows kept rendered beyond the viewport, so a fast scroll does not show blank space. */
const OVERSCAN = 3;
/** More than the rows ever rendered at once (a 7,000 px tall window), so slot keys never collide. */
const SLOTS = 256;

/**
 * The live port grid: virtualized (only the rows on screen exist in the DOM), sticky header,
 * sortable columns, keyboard selection. The scroll position stays anchored to the row at the top
 * when rows are added or removed above it.
 */
export function PortTable() {
  const rows = useTableRows();
  const view = useView();
  const sort = useSort();
  const selectedKey = useSelectedKey();
  const loaded = useLoaded();
  const filterText = useShownFilterText();
  // Highlight marks change with the version even when the visible list is the same object.
  useVersion();
  const store = usePortStoreApi();
  const privileged = usePrivileged();
  const scrollRef = useRef<HTMLDivElement>(null);
  // The columns fit the width the grid has: a narrow window drops the least useful ones first.
  const width = useWidth(scrollRef, 1200);
  const [dragging, setDragging] = useState<{ id: string; width: number } | null>(null);
  const { columns: cols } = usePlacedColumns(view, width, dragging);
  const template = useMemo(() => gridTemplate(cols), [cols]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: OVERSCAN,
    scrollMargin: ROW_H,
    scrollPaddingStart: ROW_H,
    // Until the container is measured (and in jsdom, never) assume a typical window.
    initialRect: { width: 1200, height: 800 },
    // No getItemKey: rows are never measured, and a new key function per render would make the
    // virtualizer rebuild all 10,000 measurements on every keystroke. React keys come from vr.key.
  });

  useScrollAnchor(scrollRef, rows);

  const selectedIndex = useMemo(
    () => (selectedKey === null ? -1 : rows.findIndex((vr) => vr.key === selectedKey)),
    [rows, selectedKey],
  );

  const onSelect = useCallback((key: string) => store.getState().openDetails(key), [store]);

  const move = (to: number) => {
    if (rows.length === 0) return;
    const i = Math.max(0, Math.min(rows.length - 1, to));
    store.getState().select((rows[i] as ViewRow).key);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_H * 10) / ROW_H) - 2);
    const sel = selectedIndex >= 0 ? (rows[selectedIndex] as ViewRow) : null;
    const st = store.getState();
    const action = keyAction(e.key, {
      move,
      selectedIndex,
      page,
      last: rows.length - 1,
      enter: () => sel && st.openDetails(sel.key),
      kill: () => sel && sel.row.pid !== null && askKill(sel.row),
      escape: () => (st.detailsOpen ? st.closeDetails() : st.select(null)),
    });
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c' && sel) {
      // Copy the row unless the user selected some text to copy.
      if (!window.getSelection()?.toString()) {
        e.preventDefault();
        void copyRows(sel.members);
      }
      return;
    }
    if (!action || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    action();
  };

  const now = Date.now();
  // Cells show dates, not seconds: a clock that moves once a minute keeps memoised rows unchanged.
  const minute = Math.floor(now / 60_000) * 60_000;
  const items = virtualizer.getVirtualItems();
  const activeId = selectedIndex >= 0 ? rowDomId((rows[selectedIndex] as ViewRow).key) : undefined;

  return (
    <div className="ps-grid-wrap">
      <div
        ref={scrollRef}
        className="ps-grid"
        role="grid"
        aria-label={view === 'all' ? 'All sockets' : 'Listening ports'}
        aria-rowcount={rows.length + 1}
        aria-colcount={cols.length + 1}
        aria-activedescendant={activeId}
        aria-multiselectable={false}
        // The filter text these rows are for (they follow the input a render later; the bench waits on it).
        data-filter={filterText}
        tabIndex={0}
        onKeyDown={onKeyDown}
        style={{ ['--ps-cols' as string]: template }}
      >
        <div className="ps-grid-inner" style={{ height: virtualizer.getTotalSize() + ROW_H }}>
          <div role="row" aria-rowindex={1} className="ps-row ps-head">
            {cols.map((c) => {
              const active = c.sort !== undefined && sort.column === c.sort;
              const by = c.sort;
              return (
                <div
                  key={c.id}
                  role="columnheader"
                  aria-sort={
                    by ? (active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none') : undefined
                  }
                  className={`ps-cell ps-head-cell${c.numeric ? ' ps-num' : ''}`}
                  data-col={c.id}
                >
                  {by ? (
                    <button type="button" className="ps-sort" onClick={() => store.getState().sortBy(by)}>
                      {c.label}
                      <span className="ps-sort-arrow" aria-hidden="true">
                        {active ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                      </span>
                    </button>
                  ) : (
                    <span className="ps-sort ps-nosort">{c.label}</span>
                  )}
                  <ColumnResizer column={c} onDrag={setDragging} />
                </div>
              );
            })}
            <div role="columnheader" className="ps-cell ps-actions-head">
              <span className="ps-visually-hidden">Actions</span>
            </div>
          </div>
          {items.map((item) => {
            const vr = rows[item.index] as ViewRow;
            return (
              <TableRow
                // Slot keys: a row's DOM is reused by position, so a keystroke or a delta updates
                // text in ~40 rows instead of destroying and creating them.
                key={item.index % SLOTS}
                vr={vr}
                index={item.index}
                cols={cols}
                privileged={privileged}
                top={item.start}
                selected={item.index === selectedIndex}
                meta={store.getState().meta.get(vr.key)}
                lingerMs={LINGER_MS}
                now={now}
                clock={minute}
                onSelect={onSelect}
              />
            );
          })}
        </div>
      </div>
      {rows.length === 0 && <EmptyState loaded={loaded} filterText={filterText} view={view} />}
    </div>
  );
}

interface KeyContext {
  move(to: number): void;
  selectedIndex: number;
  page: number;
  last: number;
  enter(): void;
  kill(): void;
  escape(): void;
}

/** What a key does in the grid: arrows move, Enter opens details, Delete asks to kill, Esc closes. */
function keyAction(key: string, k: KeyContext): (() => void) | null {
  const at = k.selectedIndex;
  switch (key) {
    case 'ArrowDown':
      return () => k.move(at < 0 ? 0 : at + 1);
    case 'ArrowUp':
      return () => k.move(at < 0 ? 0 : at - 1);
    case 'PageDown':
      return () => k.move(at + k.page);
    case 'PageUp':
      return () => k.move(at - k.page);
    case 'Home':
      return () => k.move(0);
    case 'End':
      return () => k.move(k.last);
    case 'Enter':
      return k.enter;
    case 'Delete':
    case 'Backspace':
      return k.kill;
    case 'Escape':
      return k.escape;
    default:
      return null;
  }
}

function EmptyState(p: { loaded: boolean; filterText: string; view: string }) {
  const store = usePortStoreApi();
  if (!p.loaded) {
    return (
      <div className="ps-empty" role="status">
        <p>Loading sockets…</p>
      </div>
    );
  }
  if (p.filterText.trim()) {
    return (
      <div className="ps-empty" role="status">
        <p>No sockets match “{p.filterText}”.</p>
        <button type="button" className="ps-btn" onClick={() => store.getState().setFilter('')}>
          Clear filter
        </button>
      </div>
    );
  }
  return (
    <div className="ps-empty" role="status">
      <p>{p.view === 'all' ? 'No sockets are open.' : 'Nothing is listening right now.'}</p>
    </div>
  );
}

/**
 * Keep the row at the top of the viewport in place when rows are inserted or removed above it
 * (the "no layout jump" rule). At the very top we do nothing, so new rows stay visible there.
 */
function useScrollAnchor(ref: React.RefObject<HTMLDivElement | null>, rows: ViewRow[]) {
  // scrollTop as of the last scroll event: reading el.scrollTop after a commit would force a layout.
  const top = useRef(0);
  const anchor = useRef<{ key: string; index: number } | null>(null);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onScroll = () => {
      top.current = el.scrollTop;
      const i = Math.floor(top.current / ROW_H);
      const vr = rowsRef.current[i];
      anchor.current = vr && top.current > 0 ? { key: vr.key, index: i } : null;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [ref]);
  useLayoutEffect(() => {
    const el = ref.current;
    const a = anchor.current;
    if (!el || !a || top.current <= 0 || rows[a.index]?.key === a.key) return;
    const now = rows.findIndex((vr) => vr.key === a.key);
    if (now < 0) return;
    top.current += (now - a.index) * ROW_H;
    anchor.current = { key: a.key, index: now };
    el.scrollTop = top.current;
  }, [ref, rows]);
}
