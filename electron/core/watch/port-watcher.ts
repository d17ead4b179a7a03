import type { MonitorStatus, SocketRow } from '../../../shared/model';
import { networkListenerMessage, newNetworkListeners } from '../../../shared/network-listeners';
import { changeMessage, watchedPortEvents } from '../../../shared/port-watch';
import type { MonitorEvent } from '../monitor/monitor';
import { createRowMirror } from './row-mirror';

/**
 * What runs while Portscope lives in the background: the tray follows the listening rows, and
 * watched ports raise a notification when they open or close (only when the user turned that on,
 * only for ports on the list). No platform import: the tray and the notifier are passed in, so the
 * desktop app builds it through createPortscope like everything else.
 */

export interface WatcherDeps<H> {
  /** Subscribe to the monitor (a view of the listening rows nobody looks at); returns its handle. */
  subscribe(listener: (ev: MonitorEvent) => void): H;
  /** Called when the listening rows or the paused state changed. */
  onRows?(rows: SocketRow[], status: Pick<MonitorStatus, 'state'>): void;
  /** The current watch settings, read on every delta so a settings change applies at once. */
  watch(): { notifications: boolean; watchedPorts: readonly number[]; notifyNetworkListeners?: boolean };
  notify?(message: string): void;
}

/**
 * Follow the monitor; returns the subscription's handle. The first snapshot is the baseline: a
 * watched port that was already open when Portscope started is not news, and a delta that comes
 * before any snapshot (there is none to compare with) is ignored rather than read as "everything
 * just opened".
 */
export function followMonitor<H>(deps: WatcherDeps<H>): H {
  const mirror = createRowMirror();
  let baseline = false;
  let status: Pick<MonitorStatus, 'state'> = { state: 'polling' };
  return deps.subscribe((ev) => {
    if (ev.type === 'snapshot') {
      mirror.reset(ev.snapshot.rows);
      baseline = true;
    } else if (ev.type === 'delta') {
      if (!baseline) return;
      const { notifications, watchedPorts, notifyNetworkListeners } = deps.watch();
      // Computed against the rows before the delta: the same shared rule the browser mode uses.
      const events =
        notifications && deps.notify ? watchedPortEvents(mirror.rows(), ev.delta, watchedPorts) : [];
      // A watched port's own "opened" already says it; the reach news is for every other port.
      const told = new Set(events.map((e) => `${e.protocol}:${e.port}`));
      const reach =
        notifyNetworkListeners && deps.notify
          ? newNetworkListeners(mirror.rows(), ev.delta).filter((e) => !told.has(`${e.protocol}:${e.port}`))
          : [];
      if (!mirror.apply(ev.delta)) return;
      for (const event of events) deps.notify?.(changeMessage(event));
      for (const event of reach) deps.notify?.(networkListenerMessage(event));
    } else {
      if (ev.status.state === status.state) return;
      status = ev.status;
    }
    deps.onRows?.(mirror.rows(), status);
  });
}
