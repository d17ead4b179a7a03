import { type RefObject, useEffect, useRef, useState } from 'react';
import type { FilterIssue } from '../../../shared/filter';
import { usePortStoreApi, useShownFilterIssues, useShownFilterText } from '../store';
import { SearchIcon } from './icons';
import { useNoiseCounts } from './use-noise';

/** True when a key press happened in a text field (then `/` is just a character). */
function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The one filter box: `/` or Ctrl/Cmd+F focuses it, Esc clears it, ArrowDown moves into the table.
 * Shows "12 of 340" and a hint for tokens it did not understand instead of silently ignoring them.
 */
export function FilterBox() {
  // Counts and hints belong to the rows on screen, which follow the input once they are ready. The
  // input itself is not rendered by React per keystroke: the browser paints the character and the
  // keystroke costs a store write, nothing more (see useStoreDrivesInput for changes from elsewhere).
  const shownText = useShownFilterText();
  const issues = useSettledIssues(shownText, useShownFilterIssues());
  // The same figures as the status bar: lines not leaving and not hidden by a rule.
  const { shown, live: total } = useNoiseCounts();
  const ref = useRef<HTMLInputElement>(null);
  const store = usePortStoreApi();
  useStoreDrivesInput(ref);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const find = (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'f';
      const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !inTextField(e.target);
      // A dialog (kill confirmation, palette) owns the keyboard while it is open.
      if ((!find && !slash) || document.querySelector('[role="dialog"][aria-modal="true"]')) return;
      e.preventDefault();
      ref.current?.focus();
      ref.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const issueId = 'ps-filter-issues';
  return (
    <div className="ps-filter">
      <span className="ps-filter-icon">
        <SearchIcon />
      </span>
      <input
        ref={ref}
        type="search"
        aria-label="Filter"
        aria-describedby={issues.length ? issueId : undefined}
        aria-invalid={issues.length > 0}
        placeholder="Filter   node  :3000  proc:python  -state:listen"
        spellCheck={false}
        autoComplete="off"
        defaultValue={store.getState().filterText}
        onChange={(e) => store.getState().setFilter(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            if (e.currentTarget.value) store.getState().setFilter('');
            else ref.current?.blur();
            e.preventDefault();
            e.stopPropagation();
          } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
            // Straight into the results: the grid takes focus with its first row selected.
            const st = store.getState();
            const visible = store.select.visible(st);
            const first = visible[0];
            if (first && (st.selectedKey === null || !visible.some((v) => v.key === st.selectedKey))) {
              st.select(first.key);
            }
            document.querySelector<HTMLElement>('[role="grid"]')?.focus();
            e.preventDefault();
          }
        }}
      />
      <output className="ps-filter-count" aria-live="polite" data-testid="filter-count">
        {shownText.trim() ? `${shown} of ${total}` : `${total}`}
      </output>
      {issues.length > 0 && (
        <p id={issueId} className="ps-filter-issues" role="status">
          {issues.map((i, n) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the list is rebuilt from the text; tokens may repeat
            <span key={n}>
              <code>{i.token}</code>: {i.message}
            </span>
          ))}
        </p>
      )}
    </div>
  );
}

/** How long the token under the caret may stay unfinished before its hint shows. */
export const HINT_DELAY_MS = 600;

/**
 * The hints to show: every finished token's at once, but the one still being typed (the last, with
 * no space after it) only once typing pauses, so "proc:" does not flash "needs a value" on the way
 * to "proc:node".
 */
function useSettledIssues(text: string, issues: FilterIssue[]): FilterIssue[] {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const t = setTimeout(() => setSettled(text), HINT_DELAY_MS);
    return () => clearTimeout(t);
  }, [text]);
  const typing = /\S$/.test(text) && settled !== text ? (/\S+$/.exec(text)?.[0] ?? null) : null;
  if (typing === null || !issues.some((i) => i.token === typing)) return issues;
  return issues.filter((i) => i.token !== typing);
}

/**
 * The input is uncontrolled; when the filter changes from elsewhere (Esc, the palette's `filter …`,
 * "Clear filter"), the store writes the new text into it.
 */
function useStoreDrivesInput(ref: RefObject<HTMLInputElement | null>): void {
  const store = usePortStoreApi();
  useEffect(
    () =>
      store.subscribe((s, prev) => {
        const input = ref.current;
        if (s.filterText !== prev.filterText && input && input.value !== s.filterText)
          input.value = s.filterText;
      }),
    [ref, store],
  );
}
