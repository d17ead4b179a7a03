import { useEffect, useId, useRef, useState } from 'react';
import { useModal } from '../features/modal/use-modal';
import { arrangeColumns, type ColumnChoice, moveChoice, toPrefs } from './column-layout';
import { saveColumnPrefs, useColumnPrefs } from './use-columns';

/**
 * The column chooser: show or hide each column, move it up or down, forget a dragged width, or
 * reset everything to the defaults. Every change is saved at once (settings `columns`), so every
 * window and tab follows; the table re-lays itself out from the saved arrangement.
 */
export function ColumnChooserButton() {
  const [open, setOpen] = useState(false);
  return (
    <span className="ps-chooser-anchor">
      <button
        type="button"
        className="ps-btn"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        title="Choose, order and reset the table's columns"
      >
        Columns
      </button>
      {open && <ColumnChooser onClose={() => setOpen(false)} />}
    </span>
  );
}

/** Where the chooser lists a column: "Remote (All sockets only)". */
function choiceLabel(c: ColumnChoice): string {
  return c.column.views?.length === 1 && c.column.views[0] === 'all'
    ? `${c.column.label} (All sockets only)`
    : c.column.label;
}

export function ColumnChooser({ onClose }: { onClose(): void }) {
  const prefs = useColumnPrefs();
  const choices = arrangeColumns(prefs, null);
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const id = useId();
  useModal(ref, true, onClose);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input')?.focus();
  }, []);
  const save = (next: ColumnChoice[]) => void saveColumnPrefs(toPrefs(next));
  const shownCount = choices.filter((c) => c.visible).length;
  return (
    <div
      ref={ref}
      className="ps-chooser"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      data-testid="column-chooser"
    >
      <h2 id={titleId} className="ps-chooser-title">
        Columns
      </h2>
      <ul className="ps-chooser-list">
        {choices.map((c, i) => {
          const cid = `${id}-${c.column.id}`;
          return (
            <li key={c.column.id} data-col={c.column.id}>
              <input
                id={cid}
                type="checkbox"
                checked={c.visible}
                // The last shown column stays: a table without columns says nothing.
                disabled={c.visible && shownCount === 1}
                onChange={(e) =>
                  save(choices.map((x, j) => (j === i ? { ...x, visible: e.target.checked } : x)))
                }
              />
              <label htmlFor={cid}>{choiceLabel(c)}</label>
              {c.width !== null && (
                <button
                  type="button"
                  className="ps-chooser-small"
                  aria-label={`${c.column.label}: back to the default width (now ${c.width} px)`}
                  title={`Now ${c.width} px: back to the default width`}
                  onClick={() => save(choices.map((x, j) => (j === i ? { ...x, width: null } : x)))}
                >
                  {c.width} px ×
                </button>
              )}
              <button
                type="button"
                className="ps-chooser-small"
                aria-label={`Move ${c.column.label} up`}
                disabled={i === 0}
                onClick={() => save(moveChoice(choices, i, -1))}
              >
                ↑
              </button>
              <button
                type="button"
                className="ps-chooser-small"
                aria-label={`Move ${c.column.label} down`}
                disabled={i === choices.length - 1}
                onClick={() => save(moveChoice(choices, i, 1))}
              >
                ↓
              </button>
            </li>
          );
        })}
      </ul>
      <p className="ps-chooser-note">
        Drag a header’s right edge to resize it. A narrow window hides the least useful columns first.
      </p>
      <div className="ps-chooser-actions">
        <button type="button" className="ps-btn" onClick={() => void saveColumnPrefs([])}>
          Reset to defaults
        </button>
        <button type="button" className="ps-btn" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}
