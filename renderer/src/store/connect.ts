import type { PortscopeApi } from '../../../shared/contract';
import type { Delta } from '../../../shared/model';
import { benchMark, benchOn } from '../bench-marks';
import type { PortStore } from './port-store';

/**
 * Wire the store to an api: deltas in order by `seq`, a resync (snapshot:get) on a gap and on every
 * connection 'open', status pushes. Deltas that arrive while a snapshot is on its way are buffered
 * and replayed after it, so a resync never loses the poll that happened meanwhile.
 */

export interface StoreConnection {
  /** Fetch a fresh snapshot now (also what a seq gap or a reconnect triggers). */
  resync(): Promise<void>;
  disconnect(): void;
}

/**
 * Apply a delta; under the UI bench also record how long the store took and when the next frame
 * after it ran (User Timing), so the bench measures the real delta path, not a copy of it.
 */
function timedApply(store: PortStore, d: Delta): void {
  if (!benchOn()) {
    store.applyDelta(d);
    return;
  }
  const detail = { changes: d.added.length + d.removed.length + d.changed.length };
  const start = performance.now();
  store.applyDelta(d);
  performance.measure('ps:delta-apply', { start, detail });
  requestAnimationFrame(() => setTimeout(() => performance.measure('ps:delta-paint', { start, detail }), 0));
}

/** How long to wait before asking again when snapshot:get failed on an open connection. */
const RETRY_MS = 2000;
/** Deltas kept while waiting for a snapshot. */
const MAX_BUFFERED = 100;
/** The longest a poll waits for typing to pause before it is shown anyway. */
const MAX_HOLD_MS = 1000;

/**
 * Subscribe `store` to `api` (PortStore.start() calls this). Returns a handle to resync or
 * disconnect.
 */
export function connectStore(store: PortStore, api: PortscopeApi): StoreConnection {
  let resyncing = false;
  let again = false;
  let buffer: Delta[] = [];
  let retry: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  /** Apply buffered deltas that follow the snapshot; a hole among them means another resync. */
  const drain = (): boolean => {
    const pending = buffer.sort((a, b) => a.seq - b.seq);
    buffer = [];
    for (const d of pending) {
      const seq = store.getState().seq ?? 0;
      if (d.seq <= seq) continue;
      if (d.seq !== seq + 1) return false;
      store.applyDelta(d);
    }
    return true;
  };

  const resync = async (): Promise<void> => {
    if (closed) return;
    if (resyncing) {
      again = true;
      return;
    }
    resyncing = true;
    if (retry) clearTimeout(retry);
    retry = null;
    try {
      do {
        again = false;
        // The scope is this client's own (each window and tab has its view). It is sent first, in
        // the same breath as snapshot:get: the host answers the snapshot once a poll covers that
        // scope, so a page that opens in All sockets gets every row in one snapshot instead of
        // the listeners and then the rest as one huge delta.
        const { view } = store.getState();
        benchMark('ps:snapshot-asked');
        const scoped = requestScope(store, api, view);
        const snapshot = api.request('snapshot:get', {});
        const status = api.request('monitor:status', {}).catch(() => null);
        // Applied as soon as it is here: the status answers come right behind it, but a poll or a
        // busy page can hold them back, and the first paint need not wait for them.
        const snap = await snapshot;
        if (closed) return;
        benchMark('ps:snapshot-received');
        store.applySnapshot(snap);
        benchMark('ps:snapshot-applied');
        if (!drain()) again = true;
        // The user switched views while the snapshot was on its way: ask again for the new one.
        if (snap.scope !== store.getState().view) again = true;
        const [current] = await Promise.all([status, scoped]);
        if (closed) return;
        if (current) store.setState({ status: current });
        // Deltas that came while the status was on its way (held back: resyncing).
        if (!drain()) again = true;
      } while (again && !closed);
    } catch (e) {
      store.setState({
        loadError: `Could not load the port list: ${(e as Error)?.message ?? String(e)}. Retrying…`,
      });
      if (!closed) retry = setTimeout(() => void resync(), RETRY_MS);
    } finally {
      resyncing = false;
    }
  };

  /**
   * Deltas held while the user types (see TYPING_HOLD_MS): a poll's re-render landing between two
   * keystrokes delays the next one's frame. Held at most MAX_HOLD_MS, then applied in order, one per
   * task, so a batch never becomes one long task.
   */
  let held: Delta[] = [];
  let heldSince = 0;
  let releasing = false;
  let holdTimer: ReturnType<typeof setTimeout> | null = null;
  const releaseHeld = () => {
    holdTimer = null;
    const wait = Math.min(store.typingHoldLeft(), heldSince + MAX_HOLD_MS - Date.now());
    if (!releasing && wait > 0) {
      holdTimer = setTimeout(releaseHeld, wait);
      return;
    }
    releasing = true;
    const next = held.shift();
    if (next) applyInOrder(next);
    if (held.length > 0) holdTimer = setTimeout(releaseHeld, 0);
    else releasing = false;
  };

  const onDelta = (d: Delta) => {
    if (!closed && (held.length > 0 || store.typingHoldLeft() > 0)) {
      if (held.length === 0) heldSince = Date.now();
      held.push(d);
      holdTimer ??= setTimeout(releaseHeld, Math.min(store.typingHoldLeft(), MAX_HOLD_MS));
      return;
    }
    applyInOrder(d);
  };

  const applyInOrder = (d: Delta) => {
    if (resyncing) {
      buffer.push(d);
      return;
    }
    const seq = store.getState().seq;
    if (seq !== null && d.seq <= seq) return; // Already have it (a replay after a resync).
    if (seq === null || d.seq !== seq + 1) {
      buffer.push(d);
      // Held only until the next snapshot, which supersedes old ones (a hole means another resync).
      if (buffer.length > MAX_BUFFERED) buffer.splice(0, buffer.length - MAX_BUFFERED);
      // After a failed snapshot the retry timer asks again; a delta every poll does not make it sooner.
      if (retry === null) void resync();
      return;
    }
    timedApply(store, d);
  };

  const offs = [
    api.on('delta', onDelta),
    api.on('status', (status) => store.setState({ status, errors: status.errors })),
    api.onConnection((connection) => {
      store.setState({ connection });
      if (connection === 'open') void resync();
    }),
  ];

  return {
    resync,
    disconnect() {
      closed = true;
      if (retry) clearTimeout(retry);
      if (holdTimer) clearTimeout(holdTimer);
      held = [];
      for (const off of offs) off();
    },
  };
}

async function requestScope(store: PortStore, api: PortscopeApi, view: 'listening' | 'all'): Promise<void> {
  try {
    // resync: the snapshot:get sent right after supersedes any delta for this change.
    const status = await api.request('monitor:set-scope', { scope: view, resync: true });
    store.setState({ status });
  } catch {
    // The next resync tries again; the status bar shows the engine's scope meanwhile.
  }
}
