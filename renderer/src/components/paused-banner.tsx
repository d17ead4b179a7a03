import { usePortStoreApi, useStatus } from '../store';

/**
 * Paused is a state the user must see from across the room: a full-width banner with the one action
 * that ends it (the status bar says it too). The table below keeps the last rows, unchanging.
 */
export function PausedBanner() {
  const status = useStatus();
  const store = usePortStoreApi();
  if (status?.state !== 'paused') return null;
  return (
    <div className="ps-paused-banner" role="status" data-testid="paused-banner">
      <span className="ps-paused-mark" aria-hidden="true">
        ❚❚
      </span>
      <p>
        <strong>Paused.</strong> The table is not updating: what you see is how things were when you paused.
      </p>
      <button type="button" className="ps-btn" onClick={() => void store.getState().resume()}>
        Resume
      </button>
    </div>
  );
}
