import { usePortStoreApi, useView } from '../store';

/** Listening (default) or All sockets; switching also changes what the engine collects. */
export function ViewSwitch() {
  const view = useView();
  const store = usePortStoreApi();
  const set = (v: 'listening' | 'all') => store.getState().setView(v);
  return (
    <div className="ps-segmented">
      <button
        type="button"
        className="ps-btn"
        aria-pressed={view === 'listening'}
        onClick={() => set('listening')}
      >
        Listening
      </button>
      <button type="button" className="ps-btn" aria-pressed={view === 'all'} onClick={() => set('all')}>
        All sockets
      </button>
    </div>
  );
}
