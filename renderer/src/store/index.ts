import { getApi } from '../api';
import { connectStore, type StoreConnection } from './connect';

/**
 * The port table's store. Importing this module subscribes to the api once, at module scope (the
 * Heroic pattern): deltas flow into the store whether or not a component is mounted, and every
 * component reads through the selector hooks below.
 */

export { connectStore, type StoreConnection } from './connect';
export {
  applyDelta,
  applySnapshot,
  LINGER_MS,
  type PortState,
  type RowMeta,
  resetStore,
  setLingerMs,
  sweep,
  usePortStore,
} from './port-store';
export * from './selectors';

/** The live connection of this page's store (null until connected; tests connect their own api). */
export let storeConnection: StoreConnection | null = null;

/** Connect the store to this page's api (the module does this on import in the app). */
export function startStore(): StoreConnection {
  storeConnection ??= connectStore(getApi());
  return storeConnection;
}

// Tests set their own api with connectStore(); the page subscribes as soon as the store is imported.
if (typeof window !== 'undefined' && !import.meta.env?.VITEST) startStore();
