import type { ReactNode } from 'react';
import type { PortscopeApi } from '../../../shared/contract';
import { createPortStore, type PortStore, type PortStoreOptions, PortStoreProvider } from '../store';

/** A started store of its own for one test (stop it in afterEach). */
export function startTestStore(api: PortscopeApi, options?: PortStoreOptions): PortStore {
  const store = createPortStore(api, options);
  store.start();
  return store;
}

/** A render wrapper that provides `store` to the components under test. */
export function storeWrapper(store: PortStore) {
  return ({ children }: { children?: ReactNode }) => (
    <PortStoreProvider store={store}>{children}</PortStoreProvider>
  );
}
