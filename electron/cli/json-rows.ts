import type { ProcessInfo, SocketRow } from '../../shared/model';
import { jsonRow } from './list-format';
import { escapeUnsafeJson } from './text';

/**
 * Placeholders for the process objects, as JSON.stringify writes them ("\u0000p" escaped), spliced
 * back as text. No field before them (addresses, ports, state, service, exposure) can hold a NUL.
 */
const PROCESS_MARK = '"\\u0000p"';
const OWNERS_MARK = '"\\u0000o"';

/**
 * `list --json` for many rows: the same array of `jsonRow` objects, one row per line. Each process
 * is serialised once however many sockets it holds (a server with 10,000 sockets repeated its
 * command line and details 20,000 times), and no indentation is built for 25,000 rows.
 * JSON.parse of the result equals `rows.map(jsonRow)`.
 */
export function jsonRowsText(rows: readonly SocketRow[]): string {
  const cache = new WeakMap<ProcessInfo, string>();
  const proc = (p: ProcessInfo | null): string => {
    if (!p) return 'null';
    let s = cache.get(p);
    if (s === undefined) {
      s = JSON.stringify(p);
      cache.set(p, s);
    }
    return s;
  };
  const lines: string[] = [];
  for (const row of rows) {
    // A fresh object per call: overwriting the two fields keeps jsonRow's field order.
    const obj: Record<string, unknown> = jsonRow(row);
    obj.process = '\u0000p';
    obj.owners = '\u0000o';
    const owners = `[${row.owners.map((o) => `{"pid":${o.pid},"process":${proc(o.process)}}`).join(',')}]`;
    const text = JSON.stringify(obj);
    lines.push(`  ${text.replace(PROCESS_MARK, () => proc(row.process)).replace(OWNERS_MARK, () => owners)}`);
  }
  return escapeUnsafeJson(lines.length ? `[\n${lines.join(',\n')}\n]\n` : '[]\n');
}
