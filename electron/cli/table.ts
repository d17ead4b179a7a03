import { displayWidth, pad, safeText, truncate } from './text';

/** One column of an aligned text table. */
export interface Column {
  title: string;
  align?: 'left' | 'right';
  /** Cap in cells when the output goes to a terminal; undefined = no cap. */
  maxOnTty?: number;
  /** The last, elastic column: on a terminal it gets whatever width is left. */
  fill?: boolean;
}

export interface TableOptions {
  header: boolean;
  /** Terminal width; undefined when the output is not a terminal (nothing is cut then). */
  width?: number;
}

const GAP = '  ';
/** Below this many cells an elastic column is still given this much (the line wraps instead). */
const MIN_FILL = 10;

/**
 * Render rows of cells as an aligned table, one line per row. Every cell passes `safeText`, so
 * hostile names cannot reach the terminal as control sequences. Trailing blanks are trimmed.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly string[][],
  options: TableOptions,
): string {
  const tty = options.width !== undefined;
  const cells = rows.map((row) =>
    columns.map((col, i) => {
      const text = safeText(row[i] ?? '');
      return tty && col.maxOnTty !== undefined ? truncate(text, col.maxOnTty) : text;
    }),
  );
  const widths = columns.map((col, i) => {
    let w = options.header ? displayWidth(col.title) : 0;
    for (const row of cells) w = Math.max(w, displayWidth(row[i] ?? ''));
    return w;
  });

  const fillIndex = columns.findIndex((c) => c.fill);
  if (tty && fillIndex >= 0) {
    const fixed = widths.reduce((sum, w, i) => (i === fillIndex ? sum : sum + w + GAP.length), 0);
    const room = Math.max(MIN_FILL, (options.width as number) - fixed);
    widths[fillIndex] = Math.min(widths[fillIndex] as number, room);
    for (const row of cells) row[fillIndex] = truncate(row[fillIndex] ?? '', room);
  }

  const line = (row: string[]) =>
    columns
      .map((col, i) => pad(row[i] ?? '', widths[i] as number, col.align))
      .join(GAP)
      .trimEnd();
  const out: string[] = [];
  if (options.header) out.push(line(columns.map((c) => c.title)));
  for (const row of cells) out.push(line(row));
  return out.length ? `${out.join('\n')}\n` : '';
}
