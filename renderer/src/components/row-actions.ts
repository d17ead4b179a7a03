import { rowToText } from '../../../shared/format';
import type { SocketRow } from '../../../shared/model';
import { closableConnection } from '../../../shared/socket-rules';
import { getApi } from '../api';
import { containerAction, stopContainerLabel } from '../features/behind/behind-actions';
import { useCloseConnectionStore } from '../features/connection';
import { useKillStore } from '../features/kill';
import { toast } from '../features/toast';

/**
 * What a row's buttons (and the keyboard, and the details panel) do. One place, so the Kill button,
 * the Delete key and the panel's button all open the same confirmation.
 */

/** True for sockets a browser could talk to: TCP listeners. */
export function canOpen(row: SocketRow): boolean {
  return row.protocol === 'tcp' && row.state === 'LISTEN';
}

/** The URL Open targets: always localhost and a port we validated as a number, never row text. */
export function openUrl(port: number): string {
  return `http://localhost:${port}/`;
}

/**
 * Open http://localhost:PORT. Electron opens it through the main process (which checks it again);
 * in the browser mode the server cannot open a browser for us, so it says `opened:false` and the
 * page opens the tab itself.
 */
export async function openPort(row: SocketRow): Promise<void> {
  if (!canOpen(row)) return;
  const url = openUrl(row.localPort);
  try {
    const res = await getApi().request('port:open', { port: row.localPort });
    if (!res.opened) window.open(url, '_blank', 'noopener');
  } catch (e) {
    toast(`Could not open ${url}: ${(e as Error).message}`, 'error');
  }
}

/** Copy rows as tab-separated text (one line each) and say so. */
export async function copyRows(rows: SocketRow[]): Promise<void> {
  const text = rows.map(rowToText).join('\n');
  try {
    await navigator.clipboard.writeText(text);
    toast(rows.length === 1 ? 'Row copied' : `${rows.length} rows copied`, 'success');
  } catch {
    // Clipboard API refused (no focus, insecure origin): fall back to a selection copy.
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    toast(ok ? 'Row copied' : 'Could not copy to the clipboard', ok ? 'success' : 'error');
  }
}

/** Open the kill confirmation for the row's owner (the dialog fixes the target at this moment). */
export function askKill(row: SocketRow): void {
  // A container's published port: stopping the container frees it (its proxy is never killed).
  if (row.container) return void containerAction(row, 'stop');
  useKillStore.getState().open(row);
}

/** The accessible name of a row's kill button (tests and screen readers rely on it). */
export function killLabel(row: SocketRow): string {
  if (row.container) return stopContainerLabel(row);
  return `Kill ${row.process?.name ?? 'process'} (PID ${row.pid})`;
}

/** A TCP connection (not a listener) with the kernel's cookie: Close connection applies to it. */
export function canCloseConnection(row: SocketRow): boolean {
  return closableConnection(row) !== null;
}

/** Open the Close connection confirmation (the dialog fixes the 4-tuple and cookie now). */
export function askCloseConnection(row: SocketRow): void {
  useCloseConnectionStore.getState().open(row);
}

/** The accessible name of a row's Close connection button. */
export function closeConnectionLabel(row: SocketRow): string {
  return `Close connection ${row.localPort} → ${row.remotePort ?? '?'}`;
}
