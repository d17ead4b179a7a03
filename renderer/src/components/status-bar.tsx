import { useEffect, useState } from 'react';
import { formatAgo, formatInterval } from '../../../shared/format';
import { useConnection, useLastUpdate, usePortStoreApi, useStatus, useView } from '../store';
import { useNoiseCounts, useShowHiddenStore } from './use-noise';

/** Re-render every second so "updated 3 s ago" stays true without a store change. */
function useNow(periodMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(t);
  }, [periodMs]);
  return now;
}

/** What each socket source is, for the status bar's tooltip. */
const SOURCE_TITLES: Record<string, string> = {
  netlink: 'Sockets straight from the kernel (netlink sock_diag, as ss uses)',
  'proc-net': 'Sockets from /proc/net (the netlink addon is not loaded)',
  systeminformation: 'Sockets from systeminformation (netstat/lsof/ss)',
};

/**
 * Counts, time since the last update, polling / paused / stale / disconnected, the interval, and
 * Pause/Resume. Stale is judged here too (two intervals without news), because a dead connection
 * cannot deliver the engine's own "stale" status.
 */
export function StatusBar() {
  const store = usePortStoreApi();
  const status = useStatus();
  const connection = useConnection();
  const lastUpdate = useLastUpdate();
  const view = useView();
  const { live, hidden } = useNoiseCounts();
  const showHidden = useShowHiddenStore((s) => s.showHidden);
  const setShowHidden = useShowHiddenStore((s) => s.setShowHidden);
  const now = useNow();
  const paused = status?.state === 'paused';
  const interval = status?.intervalMs ?? 1000;
  const late = lastUpdate !== null && now - lastUpdate > 2 * interval + 1000;
  const stale = !paused && (status?.stale || late);

  let dot = 'ps-dot';
  let state: string;
  if (connection !== 'open') {
    dot += ' ps-dot-closed';
    state =
      connection === 'connecting'
        ? 'Connecting…'
        : connection === 'expired'
          ? 'Session ended — open the new URL'
          : 'Disconnected — reconnecting…';
  } else if (paused) {
    dot += ' ps-dot-paused';
    state = 'Paused';
  } else if (stale) {
    dot += ' ps-dot-stale';
    state = 'Stale — the engine has not answered for a while';
  } else state = 'Live';

  const noun =
    view === 'all' ? (live === 1 ? 'socket' : 'sockets') : live === 1 ? 'listening port' : 'listening ports';
  return (
    <footer className={`ps-statusbar${paused ? ' ps-statusbar-paused' : ''}`}>
      <span role="status" aria-live="polite">
        <span className={dot} aria-hidden="true" />
        {state}
      </span>
      <span data-testid="status-count">
        {live} {noun}
      </span>
      {hidden > 0 && (
        <span className="ps-hidden-count">
          {showHidden ? `${hidden} hidden by your rules, shown` : `${hidden} hidden`}{' '}
          <button
            type="button"
            className="ps-link-btn"
            data-testid="toggle-hidden"
            onClick={() => setShowHidden(!showHidden)}
          >
            {showHidden ? 'Hide them again' : 'Show all'}
          </button>
        </span>
      )}
      <span title={lastUpdate ? new Date(lastUpdate).toLocaleString() : undefined}>
        Updated {formatAgo(lastUpdate, now)}
      </span>
      <span>Every {formatInterval(interval)}</span>
      {status?.source ? (
        <span
          data-testid="status-source"
          title={SOURCE_TITLES[status.source] ?? 'Where the sockets come from'}
        >
          from {status.source}
        </span>
      ) : null}
      <span style={{ flex: 1 }} />
      <button
        type="button"
        className="ps-btn"
        disabled={connection !== 'open' || status === null}
        onClick={() => void (paused ? store.getState().resume() : store.getState().pause())}
      >
        {paused ? 'Resume' : 'Pause'}
      </button>
    </footer>
  );
}
