/**
 * The port table's store. A page creates one with createPortStore(api), starts it and provides it to
 * its components (PortStoreProvider); components read through the hooks. Tests create their own.
 */

export { connectStore, type StoreConnection } from './connect';
export { narrows } from './filter-results';
export * from './hooks';
export { LINGER_MS, type PortState, type RowMeta, TYPING_HOLD_MS } from './port-state';
export { createPortStore, type PortStore, type PortStoreOptions } from './port-store';
export type { Selectors, Sorted } from './selectors';
