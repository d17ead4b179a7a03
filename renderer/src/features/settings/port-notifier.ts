import type { PortscopeApi } from '../../../../shared/contract';
import type { Delta, SocketRow } from '../../../../shared/model';
import { changeMessage, type WatchedPortEvent, watchedPortEvents } from '../../../../shared/port-watch';
import type { Settings } from '../../../../shared/settings';
import { isListening } from '../../../../shared/socket-rules';
import type { PortStore } from '../../store';
import { toast } from '../toast';

/**
 * Watched-port notifications in the browser mode (the desktop app raises them in the main process).
 * Each delta is checked with the shared rule against this module's own mirror of the listening rows,
 * so the table's lingering "closed" rows never count. After a gap or a reconnect the mirror is taken
 * again from the table once it has resynced: a change may be missed then, but none is invented.
 */

export interface NotifierDeps {
  /** The current settings (null until loaded: nothing is announced before). */
  settings(): Settings | null;
  /** Show one event; `seq` is the delta's number (a tag that lets several tabs share one notice). */
  announce(event: WatchedPortEvent, seq: number): void;
}

/** Follow deltas and announce watched ports opening or closing; returns the stop function. */
export function startPortNotifier(
  api: PortscopeApi,
  store: Pick<PortStore, 'getState' | 'subscribe'>,
  deps: NotifierDeps,
): () => void {
  let mirror: Map<string, SocketRow> | null = null;
  let seq: number | null = null;
  /** After a gap: the table must have resynced to at least this seq before the mirror is retaken. */
  let resyncedFrom = 0;

  const baseline = () => {
    const s = store.getState();
    if (s.seq === null) return;
    mirror = new Map();
    for (const [key, row] of s.rows) {
      if (!s.meta.get(key)?.removedAt && isListening(row)) mirror.set(key, row);
    }
    seq = s.seq;
  };

  const onDelta = (d: Delta) => {
    if (mirror === null || seq === null) return;
    if (d.seq <= seq) return; // already in the baseline
    if (d.seq !== seq + 1) {
      mirror = null; // a gap: wait for the table's resync (to this delta or later)
      resyncedFrom = d.seq;
      return;
    }
    const s = deps.settings();
    const events = s?.notifications ? watchedPortEvents(mirror.values(), d, s.watchedPorts) : [];
    for (const key of d.removed) mirror.delete(key);
    for (const r of [...d.added, ...d.changed]) {
      if (isListening(r)) mirror.set(r.key, r);
      else mirror.delete(r.key);
    }
    seq = d.seq;
    for (const e of events) deps.announce(e, d.seq);
  };

  baseline();
  const offs = [
    api.on('delta', onDelta),
    store.subscribe((state) => {
      // First data, a resync after a gap (not an unrelated change before it: the table may still
      // hold the rows from before the gap), or a restarted engine (its numbers start again).
      if (state.seq === null) return;
      if (mirror === null || seq === null ? state.seq >= resyncedFrom : state.seq < seq) baseline();
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}

/** True when the page may show system notifications (the user granted it). */
export function canNotify(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

/**
 * Show an event as a system notification when permitted, else as a toast. The tag makes the same
 * event from two open tabs one notification, not two.
 */
export function announcePortEvent(event: WatchedPortEvent, seq: number): void {
  const message = changeMessage(event);
  if (canNotify()) {
    try {
      new Notification('Portscope', {
        body: message,
        tag: `portscope:${event.kind}:${event.protocol}:${event.port}:${seq}`,
      });
      return;
    } catch {
      // Some browsers allow notifications only from a service worker: fall back to the page.
    }
  }
  toast(message);
}

/** Ask for notification permission (call from the click that turns notifications on). */
export async function requestNotificationPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}
