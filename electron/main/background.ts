import type { MonitorStatus, SocketRow } from '../../shared/model';
import { changeMessage, watchedPortEvents } from '../../shared/port-watch';
import type { MonitorEvent } from '../core/monitor/monitor';
import { createRowMirror } from './row-mirror';

/**
 * What runs while Portscope lives in the background: the tray follows the listening rows, and
 * watched ports raise a notification when they open or close (only when the user turned that on,
 * only for ports on the list). No Electron import: the tray and the notifier are passed in.
 */

export interface BackgroundDeps {
  subscribe(listener: (ev: MonitorEvent) => void): () => void;
  initialStatus: Pick<MonitorStatus, 'state'>;
  /** Called when the listening rows or the paused state changed. */
  onRows(rows: SocketRow[], status: Pick<MonitorStatus, 'state'>): void;
  /** The current watch settings, read on every delta so a settings change applies at once. */
  watch(): { notifications: boolean; watchedPorts: readonly number[] };
  notify(message: string): void;
}

/** Follow the monitor; returns the unsubscribe function. */
export function followMonitor(deps: BackgroundDeps): () => void {
  const mirror = createRowMirror();
  let status = deps.initialStatus;
  return deps.subscribe((ev) => {
    if (ev.type === 'snapshot') {
      // The first table is the baseline: what was already open is not news.
      mirror.reset(ev.snapshot.rows);
    } else if (ev.type === 'delta') {
      const { notifications, watchedPorts } = deps.watch();
      // Computed against the rows before the delta: the same shared rule the browser mode uses.
      const events = notifications ? watchedPortEvents(mirror.rows(), ev.delta, watchedPorts) : [];
      if (!mirror.apply(ev.delta)) return;
      for (const event of events) deps.notify(changeMessage(event));
    } else {
      if (ev.status.state === status.state) return;
      status = ev.status;
    }
    deps.onRows(mirror.rows(), status);
  });
}
