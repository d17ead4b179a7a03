import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { getApi } from '../../api';
import { type PortStore, usePortState, usePortStoreApi, useVersion } from '../../store';
import { useKillStore } from '../kill/kill-store';
import { useModal } from '../modal/use-modal';
import { toast } from '../toast';
import { buildPalette, type PaletteAction, type PaletteContext, type PaletteItem } from './palette-items';
import { liveRows } from './resolve';
import './palette.css';

/** True for Ctrl+K (Cmd+K on macOS), without other modifiers. */
function isPaletteKey(e: KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k';
}

/**
 * The command palette: Ctrl/Cmd+K anywhere opens it (and closes it again). Self-contained: mount
 * it once; it reads the table's store and acts through the same kill dialog as a row's button.
 */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isPaletteKey(e)) return;
      // The kill confirmation owns the keyboard while it is open.
      if (useKillStore.getState().phase !== 'closed') return;
      e.preventDefault();
      setOpen((o) => !o);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return open ? <PaletteDialog onClose={() => setOpen(false)} /> : null;
}

/** Rows the palette may act on, and the ones the table shows now (its view and filter). */
function usePaletteContext(): PaletteContext {
  const store = usePortStoreApi();
  const version = useVersion();
  const visibleLines = usePortState(store.select.visible);
  // biome-ignore lint/correctness/useExhaustiveDependencies: rows are mutated in place; version says when
  return useMemo(() => {
    const { rows, meta } = store.getState();
    const visible = visibleLines.flatMap((vr) => vr.members).filter((r) => !meta.get(r.key)?.removedAt);
    return { rows: liveRows(rows, meta), visible };
  }, [store, version, visibleLines]);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Carry out a picked entry. Returns text for the input when the entry only completes a command. */
function perform(portStore: PortStore, action: PaletteAction): string | null {
  const store = portStore.getState();
  switch (action.type) {
    case 'complete':
      return action.text;
    case 'kill':
      useKillStore.getState().open(action.row);
      return null;
    case 'open':
      getApi()
        .request('port:open', { port: action.port })
        .then((r) => {
          // The browser mode cannot open a browser for us: the page does it, without an opener.
          if (!r.opened) window.open(r.url, '_blank', 'noopener');
          toast(`Opened ${r.url}`, 'info');
        })
        .catch((e) => toast(`Could not open port ${action.port}: ${errorText(e)}`, 'error'));
      return null;
    case 'pause':
      store.pause().then(
        () => toast('Live updates paused', 'info'),
        (e) => toast(`Could not pause: ${errorText(e)}`, 'error'),
      );
      return null;
    case 'resume':
      store.resume().then(
        () => toast('Live updates resumed', 'info'),
        (e) => toast(`Could not resume: ${errorText(e)}`, 'error'),
      );
      return null;
    case 'filter':
      store.setFilter(action.text);
      return null;
    case 'scope':
      store.setView(action.scope);
      return null;
  }
}

function PaletteDialog({ onClose }: { onClose: () => void }) {
  const [input, setInput] = useState('');
  // The highlighted item by id, not position: the list is rebuilt on every delta, and Enter must
  // not land on another process because a row was inserted above.
  const [activeId, setActiveId] = useState<string | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  const ctx = usePaletteContext();
  const portStore = usePortStoreApi();
  const { items, error } = useMemo(() => buildPalette(input, ctx), [input, ctx]);
  useModal(dialogRef, true, onClose);

  useEffect(() => inputRef.current?.focus(), []);
  const found = activeId === null ? -1 : items.findIndex((item) => item.id === activeId);
  const current = Math.max(found, 0);

  const run = (item: PaletteItem | undefined) => {
    if (!item?.action) return;
    const next = perform(portStore, item.action);
    if (next === null) onClose();
    else {
      setInput(next);
      setActiveId(null);
      inputRef.current?.focus();
    }
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (items.length === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActiveId(items[(current + step + items.length) % items.length]?.id ?? null);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      run(items[current]);
    }
  };

  const optionId = (i: number) => `${listId}-opt-${i}`;
  return (
    <div className="ps-modal-backdrop ps-palette-backdrop">
      <div
        ref={dialogRef}
        className="ps-modal ps-palette"
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
      >
        <input
          ref={inputRef}
          className="ps-palette-input"
          role="combobox"
          aria-label="Command"
          aria-expanded={items.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={items.length > 0 ? optionId(current) : undefined}
          placeholder="free 3000 · kill pid 1234 · open 5173 · pause · filter proc:node"
          spellCheck={false}
          autoComplete="off"
          value={input}
          onChange={(e) => {
            setInput(e.target.value);
            setActiveId(null);
          }}
          onKeyDown={onKeyDown}
        />
        {error && (
          <p className="ps-palette-error" role="status">
            {error}
          </p>
        )}
        <div id={listId} className="ps-palette-list" role="listbox" aria-label="Commands">
          {items.map((item, i) => (
            <div
              key={item.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === current}
              aria-disabled={item.action === null}
              className={`ps-palette-item${i === current ? ' is-active' : ''}${item.action ? '' : ' is-info'}`}
              onMouseMove={() => i !== current && setActiveId(item.id)}
              // Keep focus in the input: a click must not blur it before the action runs.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => run(item)}
              // The input drives the list (aria-activedescendant); options are never tabbed to.
              tabIndex={-1}
              onKeyDown={(e) => e.key === 'Enter' && run(item)}
            >
              <span className="ps-palette-label">{item.label}</span>
              {item.detail && <span className="ps-palette-detail">{item.detail}</span>}
            </div>
          ))}
        </div>
        <p className="ps-palette-hint">↑ ↓ move · Enter runs · Esc closes</p>
      </div>
    </div>
  );
}
