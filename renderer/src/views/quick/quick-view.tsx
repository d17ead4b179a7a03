import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { holdersLabel } from '../../../../shared/format';
import { anyRuleMatches } from '../../../../shared/noise-rules';
import { processCellText } from '../../../../shared/process-text';
import { containerLabel, containerOf, holderText } from '../../../../shared/socket-rules';
import type { ViewRow } from '../../../../shared/view';
import { useNoiseRules, useNoisyRows } from '../../components/use-noise';
import { usePrivileged } from '../../components/use-privileged';
import { presentKillResultsIn, useKillStore } from '../../features/kill';
import { useConnection, useErrors, useListeningRows, useLoadError, useLoaded } from '../../store';
import { quickList } from './quick-list';
import './quick.css';

/** A line of text about the last thing that happened, shown under the search box. */
interface Note {
  text: string;
  kind: 'info' | 'success' | 'error';
}

/** Which problem, if any, makes the list untrustworthy right now (failure is never an empty list). */
function useProblem(): string | null {
  const connection = useConnection();
  const loadError = useLoadError();
  const errors = useErrors();
  if (loadError) return loadError;
  if (connection === 'closed') return 'Disconnected from Portscope; reconnecting…';
  if (connection === 'expired') return 'Session ended: open the new URL printed by portscope serve.';
  if (errors.length > 0) return errors.map((e) => `${e.tool}: ${e.message}`).join(' · ');
  return null;
}

/** The search text the window was opened with (`?q=`), capped: it is only ever search text. */
function initialQuery(): string {
  return (new URLSearchParams(window.location.search).get('q') ?? '').slice(0, 64);
}

/**
 * The tray quick view: listening ports at a glance and "type a port, Enter, Enter" to free it.
 * It uses the same kill dialog and store as the main window, so the same identity rules apply.
 */
export function QuickView() {
  // Hide rules and favourites apply here as in the table: favourites first, hidden ones out.
  const { rows: all, hidden } = useNoisyRows(useListeningRows());
  const { favourites } = useNoiseRules();
  const loaded = useLoaded();
  const problem = useProblem();
  const privileged = usePrivileged();
  // The tray's "Kill…" and "Free a port…" open this view with ?q=<port> (or empty) to prefill it.
  const [query, setQuery] = useState(initialQuery);
  // The picked line is remembered by row key, not position: a delta that inserts a row above it
  // must not move Enter onto another process.
  const [picked, setPicked] = useState<string | null>(null);
  const [note, setNote] = useState<Note | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  const list = useMemo(() => quickList(all, query), [all, query]);
  const pickedAt = picked === null ? -1 : list.rows.findIndex((vr) => vr.key === picked);
  const active = pickedAt >= 0 ? pickedAt : list.defaultIndex;

  // The result of a kill started here is shown in place, instead of a toast: said once.
  const dialogOpen = useKillStore((s) => s.phase !== 'closed');
  useEffect(() => presentKillResultsIn((text, kind) => setNote({ text, kind })), []);

  // A tray window is shown and hidden, not re-created: focus the search box whenever it is shown.
  useEffect(() => {
    const focus = () => {
      if (useKillStore.getState().phase !== 'closed') return;
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    focus();
    window.addEventListener('focus', focus);
    return () => window.removeEventListener('focus', focus);
  }, []);

  const act = (vr: ViewRow | undefined) => {
    if (!vr) {
      setNote({
        text: list.port !== null ? `Nothing is listening on port ${list.port}.` : 'No port matches.',
        kind: 'info',
      });
      return;
    }
    if (vr.row.owners.length === 0 || !vr.row.process) {
      // The shared wording: kernel-held, or a holder this user cannot see (never "another user" to root).
      setNote({
        text: `Port ${vr.row.localPort}: ${holderText(vr.row, privileged)}. It cannot be freed from here.`,
        kind: 'error',
      });
      return;
    }
    setNote(null);
    useKillStore.getState().open(vr.row);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    const n = list.rows.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (n === 0) return;
      const from = active ?? (e.key === 'ArrowDown' ? -1 : 0);
      setPicked(list.rows[(from + (e.key === 'ArrowDown' ? 1 : -1) + n) % n]?.key ?? null);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      act(active === null ? undefined : list.rows[active]);
    } else if (e.key === 'Escape' && query) {
      e.preventDefault();
      setQuery('');
      setPicked(null);
    }
  };

  const optionId = (i: number) => `${listId}-${i}`;
  return (
    <main className="ps-quick" aria-label="Quick view" aria-hidden={dialogOpen || undefined}>
      <header className="ps-quick-head">
        <h1 className="ps-quick-title">Listening ports</h1>
        <span className="ps-quick-count">{loaded ? all.length : '…'}</span>
        {hidden > 0 && <span className="ps-quick-hidden">{hidden} hidden</span>}
      </header>
      <input
        ref={inputRef}
        className="ps-quick-search"
        role="combobox"
        aria-label="Find a port"
        aria-expanded={list.rows.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={active !== null ? optionId(active) : undefined}
        placeholder="Type a port, Enter to free it"
        spellCheck={false}
        autoComplete="off"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setPicked(null);
          setNote(null);
        }}
        onKeyDown={onKeyDown}
      />
      {problem && (
        <p className="ps-quick-problem" role="alert">
          {problem}
        </p>
      )}
      <p className={`ps-quick-note${note ? ` is-${note.kind}` : ''}`} role="status" aria-live="polite">
        {note?.text ?? ''}
      </p>
      <div id={listId} className="ps-quick-list" role="listbox" aria-label="Listening ports">
        {!loaded && !problem && <p className="ps-quick-empty">Loading…</p>}
        {loaded && list.rows.length === 0 && (
          <p className="ps-quick-empty">
            {query ? `Nothing listening matches “${query}”.` : 'Nothing is listening.'}
          </p>
        )}
        {list.rows.map((vr, i) => {
          return (
            <div
              key={vr.key}
              id={optionId(i)}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              className={`ps-quick-item${i === active ? ' is-active' : ''}`}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                setPicked(vr.key);
                act(vr);
              }}
              onKeyDown={(e) => e.key === 'Enter' && act(vr)}
            >
              <span className="ps-quick-port">{vr.row.localPort}</span>
              <span className="ps-quick-proto">{vr.row.protocol}</span>
              <span
                className={`ps-quick-service${vr.row.serviceSource === 'iana' ? ' ps-svc-iana' : ''}`}
                title={vr.row.service ?? undefined}
              >
                {vr.row.service ?? ''}
              </span>
              <span
                className="ps-quick-proc"
                title={
                  vr.row.owners.length > 0
                    ? `${processCellText(vr.row)} (${vr.row.pid})\n${vr.row.process?.command ?? ''}`
                    : holdersLabel(vr.row, privileged)
                }
              >
                {favourites.length > 0 && anyRuleMatches(vr.row, favourites) ? '★ ' : ''}
                {quickProcessText(vr.row, privileged)}
              </span>
            </div>
          );
        })}
      </div>
      <footer className="ps-quick-hint">↑ ↓ choose · Enter frees the port · Esc clears</footer>
    </main>
  );
}

/** The process side of a line: its container when it has one (ports grouped under it), else the holder. */
function quickProcessText(row: ViewRow['row'], privileged: boolean): string {
  const c = containerOf(row);
  if (c) return containerLabel(c);
  return row.owners.length > 0 ? `${processCellText(row)} (${row.pid})` : holdersLabel(row, privileged);
}
