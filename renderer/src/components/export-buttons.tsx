import { toCsv, toJson } from '../../../shared/format';
import type { SocketRow } from '../../../shared/model';
import { toast } from '../features/toast';
import { type PortStore, usePortStoreApi } from '../store';

/** `portscope-2026-11-26-140307.csv`: sortable, no characters any file system dislikes. */
export function exportFileName(ext: 'csv' | 'json', now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const d = `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
  return `portscope-${d}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}.${ext}`;
}

/** The sockets behind the visible lines (merged twins expand to both), leaving rows excluded. */
export function visibleSockets(store: PortStore): SocketRow[] {
  const s = store.getState();
  const out: SocketRow[] = [];
  for (const vr of store.select.visible(s))
    for (const m of vr.members) if (!s.meta.get(m.key)?.removedAt) out.push(m);
  return out;
}

/** Save text through a Blob download (works in Electron and in the browser mode, no server trip). */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Export the rows the table shows now (view + filter) as CSV or JSON. */
export function ExportButtons() {
  const store = usePortStoreApi();
  const run = (kind: 'csv' | 'json') => {
    const rows = visibleSockets(store);
    if (kind === 'csv') download(exportFileName('csv'), toCsv(rows), 'text/csv;charset=utf-8');
    else download(exportFileName('json'), toJson(rows), 'application/json');
    toast(
      `Exported ${rows.length} ${rows.length === 1 ? 'row' : 'rows'} as ${kind.toUpperCase()}`,
      'success',
    );
  };
  return (
    <div className="ps-segmented">
      <button
        type="button"
        className="ps-btn"
        onClick={() => run('csv')}
        title="Export the visible rows as CSV"
      >
        Export CSV
      </button>
      <button
        type="button"
        className="ps-btn"
        onClick={() => run('json')}
        title="Export the visible rows as JSON"
      >
        Export JSON
      </button>
    </div>
  );
}
