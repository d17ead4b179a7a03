import { displayWidth, pad, safeText, truncate } from './text';

/** One column of an aligned text table. */
export interface Column {
  title: string;
  align?: 'left' | 'right';
  /**
   * Narrowest this column may be cut to when the table must fit a terminal (cells end in '…').
   * Undefined: never cut (PORT, PID: a cut number is a wrong number).
   */
  min?: number;
  /** When this column is cut to `min` (rank; lower first, same scale as `drop`): COMMAND is first. */
  shrink?: number;
  /** When this column is left out (rank, same scale as `shrink`); undefined = never. */
  drop?: number;
}

export interface TableOptions {
  header: boolean;
  /** Terminal width; undefined when the output is not a terminal or --wide (nothing is cut then). */
  width?: number;
}

const GAP = '  ';

/**
 * The widths that fit `room` cells. Columns give way step by step, in one order across both kinds
 * of step (`shrink` and `drop` ranks share a scale): a shrink cuts a column down to its `min`, as
 * far as still needed; a drop leaves a column out. Each attempt starts over from the natural widths
 * with the first k steps, so a column cut before a later drop gets its width back when the drop
 * alone makes room. Returns a width per column, 0 for a column left out. When even every step is
 * not enough, lines are as short as the columns that always stay allow.
 */
export function fitWidths(columns: readonly Column[], natural: readonly number[], room: number): number[] {
  type Step = { i: number; rank: number; kind: 'shrink' | 'drop' };
  const steps: Step[] = [];
  columns.forEach((c, i) => {
    if (c.shrink !== undefined && c.min !== undefined) steps.push({ i, rank: c.shrink, kind: 'shrink' });
    if (c.drop !== undefined) steps.push({ i, rank: c.drop, kind: 'drop' });
  });
  steps.sort((a, b) => a.rank - b.rank);
  let widths: number[] = [...natural];
  for (let k = 0; k <= steps.length; k++) {
    const taken = steps.slice(0, k);
    const dropped = new Set(taken.filter((s) => s.kind === 'drop').map((s) => s.i));
    widths = natural.map((w, i) => (dropped.has(i) ? 0 : w));
    const shown = columns.length - dropped.size;
    let excess = widths.reduce((sum, w) => sum + w, 0) + GAP.length * Math.max(0, shown - 1) - room;
    for (const { i, kind } of taken) {
      if (excess <= 0) break;
      if (kind !== 'shrink' || dropped.has(i)) continue;
      const give = Math.min(excess, Math.max(0, (widths[i] as number) - (columns[i]?.min ?? 0)));
      widths[i] = (widths[i] as number) - give;
      excess -= give;
    }
    if (excess <= 0) return widths;
  }
  return widths;
}

/**
 * Render rows of cells as an aligned table, one line per row. Every cell passes `safeText`, so
 * hostile names cannot reach the terminal as control sequences. With a width (a terminal, not
 * --wide) no line is longer than it: see fitWidths. Trailing blanks are trimmed.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly string[][],
  options: TableOptions,
): string {
  const cells = rows.map((row) => columns.map((_, i) => safeText(row[i] ?? '')));
  const natural = columns.map((col, i) => {
    let w = options.header ? displayWidth(col.title) : 0;
    for (const row of cells) w = Math.max(w, displayWidth(row[i] ?? ''));
    return w;
  });
  const widths = options.width === undefined ? natural : fitWidths(columns, natural, options.width);
  const shown = columns.map((_, i) => i).filter((i) => (widths[i] as number) > 0 || natural[i] === 0);

  const line = (row: readonly string[]) => {
    const text = shown
      .map((i) => {
        const w = widths[i] as number;
        return pad(truncate(row[i] ?? '', w), w, columns[i]?.align);
      })
      .join(GAP)
      .trimEnd();
    // A terminal narrower than the columns that always stay: cut the line rather than wrap it.
    return options.width !== undefined && displayWidth(text) > options.width
      ? truncate(text, options.width)
      : text;
  };
  const out: string[] = [];
  if (options.header) out.push(line(columns.map((c) => c.title)));
  for (const row of cells) out.push(line(row));
  return out.length ? `${out.join('\n')}\n` : '';
}
