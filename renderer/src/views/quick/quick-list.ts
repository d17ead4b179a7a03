import { containerOf } from '../../../../shared/socket-rules';
import { parsePort } from '../../../../shared/validate';
import type { ViewRow } from '../../../../shared/view';

/**
 * What the quick view lists for a query, and which line Enter acts on. A number narrows to ports
 * that contain it but ACTS only on the exact port: typing 3000 must never free 30001. Text matches
 * the process name, service or command.
 */
export interface QuickList {
  rows: ViewRow[];
  /** Index Enter acts on when the user has not moved the selection; null when nothing qualifies. */
  defaultIndex: number | null;
  /** The exact port typed, when the query is one. */
  port: number | null;
}

function matchesText(vr: ViewRow, q: string): boolean {
  const p = vr.row.process;
  return (
    (p?.name.toLowerCase().includes(q) ?? false) ||
    (vr.row.service?.toLowerCase().includes(q) ?? false) ||
    (p?.command.toLowerCase().includes(q) ?? false) ||
    (containerOf(vr.row)?.name.toLowerCase().includes(q) ?? false)
  );
}

/**
 * A container's ports together, under its first (lowest) port: the other lines keep their order.
 * The quick view names such a line by its container, so they read as one group.
 */
export function groupByContainer(rows: ViewRow[]): ViewRow[] {
  const byContainer = new Map<string, ViewRow[]>();
  for (const vr of rows) {
    const c = containerOf(vr.row);
    if (!c) continue;
    const list = byContainer.get(c.id);
    if (list) list.push(vr);
    else byContainer.set(c.id, [vr]);
  }
  if (byContainer.size === 0) return rows;
  const out: ViewRow[] = [];
  for (const vr of rows) {
    const c = containerOf(vr.row);
    if (!c) out.push(vr);
    else if (byContainer.get(c.id)?.[0] === vr) out.push(...(byContainer.get(c.id) ?? []));
  }
  return out;
}

/** Filter the listening rows for the typed query (already sorted by port). */
export function quickList(all: ViewRow[], query: string): QuickList {
  const rows = groupByContainer(all);
  const q = query.trim().toLowerCase();
  if (!q) return { rows, defaultIndex: rows.length > 0 ? 0 : null, port: null };
  const port = parsePort(q);
  if (port !== null) {
    const digits = String(port);
    const hits = rows.filter((vr) => String(vr.row.localPort).includes(digits));
    // The exact port first, so it is what the eye and Enter land on.
    hits.sort((a, b) => Number(b.row.localPort === port) - Number(a.row.localPort === port));
    const exact = hits.length > 0 && hits[0]?.row.localPort === port;
    return { rows: hits, defaultIndex: exact ? 0 : null, port };
  }
  const hits = rows.filter((vr) => matchesText(vr, q));
  return { rows: hits, defaultIndex: hits.length > 0 ? 0 : null, port: null };
}
