import { useHistoryStore } from '../features/history';
import { usePortStoreApi, useView } from '../store';

/** Listening (default) or All sockets; switching also changes what the engine collects. */
export function ViewSwitch() {
  const view = useView();
  const store = usePortStoreApi();
  const history = useHistoryStore((s) => s.open);
  const set = (v: 'listening' | 'all') => {
    useHistoryStore.getState().setOpen(false);
    store.getState().setView(v);
  };
  return (
    <div className="ps-segmented">
      <button
        type="button"
        className="ps-btn"
        aria-pressed={!history && view === 'listening'}
        onClick={() => set('listening')}
      >
        Listening
      </button>
      <button
        type="button"
        className="ps-btn"
        aria-pressed={!history && view === 'all'}
        onClick={() => set('all')}
      >
        All sockets
      </button>
      <button
        type="button"
        className="ps-btn"
        aria-pressed={history}
        onClick={() => useHistoryStore.getState().setOpen(true)}
      >
        History
      </button>
    </div>
  );
}
