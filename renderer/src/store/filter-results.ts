import { type CompiledFilter, parseFilter } from '../../../shared/filter';
import type { SocketRow } from '../../../shared/model';
import type { ViewRow } from '../../../shared/view';

/**
 * Filter results of one store: compiled filters of recent texts, and the rows each recent text
 * leaves of one sorted list. Backspace returns to a text typed a moment ago (answered without a pass
 * over every row), and a longer text is filtered from the result of the longest cached text it
 * narrows. Results are dropped whenever the sorted list changes.
 */

/**
 * True when `next` only narrows `prev`: characters appended to a plain last word (no key, quote,
 * negation or colon involved). Every row matching "nod" ⊇ rows matching "node", so typing can
 * filter the previous result instead of every row.
 */
export function narrows(prev: string, next: string): boolean {
  if (!next.startsWith(prev) || next === prev) return false;
  const last = /\S+$/.exec(prev)?.[0];
  if (!last || /["':]/.test(last) || last.startsWith('-')) return false;
  if ((prev.match(/"/g)?.length ?? 0) % 2 !== 0) return false;
  return /^[^\s"':]+$/.test(next.slice(prev.length));
}

/** Whether a line passes: any of its members (IPv4/IPv6 twins) does. */
export function passes(vr: ViewRow, test: CompiledFilter['test']): boolean {
  const ms = vr.members;
  if (ms.length === 1) return test(ms[0] as SocketRow);
  for (const m of ms) if (test(m)) return true;
  return false;
}

const RESULTS_KEPT = 24;
const FILTERS_KEPT = 8;

/** Where a text's rows come from: known already, or which rows to filter with which filter. */
export type Lookup = { hit: ViewRow[] } | { filter: CompiledFilter; from: ViewRow[] };

/** The caches behind visible rows (one per store; `of` is the sorted list they are for). */
export class FilterResults {
  private readonly filters = new Map<string, CompiledFilter>();
  private of: readonly ViewRow[] | null = null;
  private readonly results = new Map<string, ViewRow[]>();

  /** The compiled filter for a text (typing compiles each text once). */
  compiled(text: string): CompiledFilter {
    let f = this.filters.get(text);
    if (!f) {
      if (this.filters.size >= FILTERS_KEPT) this.filters.delete(this.filters.keys().next().value as string);
      f = parseFilter(text);
      this.filters.set(text, f);
    }
    return f;
  }

  /** Filter results cached for `sorted`: `hit` when known, else where to filter from. */
  lookup(sorted: ViewRow[], text: string): Lookup {
    if (this.of !== sorted) {
      this.results.clear();
      this.of = sorted;
    }
    const hit = this.results.get(text);
    if (hit) return { hit };
    const filter = this.compiled(text);
    if (filter.empty) return { hit: this.remember(sorted, text, sorted) };
    // Typing more of a word: only the rows that matched the shorter text can match the longer one.
    let from = sorted;
    let fromLen = -1;
    for (const [t, r] of this.results) {
      if (t.length > fromLen && r.length <= from.length && narrows(t, text)) {
        from = r;
        fromLen = t.length;
      }
    }
    return { filter, from };
  }

  /** Keep `rows` as the result of `text` over `sorted` (ignored if the list changed meanwhile). */
  remember(sorted: ViewRow[], text: string, rows: ViewRow[]): ViewRow[] {
    if (this.of !== sorted) return rows;
    if (this.results.size >= RESULTS_KEPT) this.results.delete(this.results.keys().next().value as string);
    this.results.set(text, rows);
    return rows;
  }

  /** The lines of `sorted` that pass the filter `text`. */
  visible(sorted: ViewRow[], text: string): ViewRow[] {
    const l = this.lookup(sorted, text);
    if ('hit' in l) return l.hit;
    const out: ViewRow[] = [];
    for (const vr of l.from) if (passes(vr, l.filter.test)) out.push(vr);
    return this.remember(sorted, text, out);
  }
}
