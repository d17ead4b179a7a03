import { createContext, createElement, type ReactNode, useContext, useMemo } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { SocketRow } from '../../../shared/model';
import type { ViewRow } from '../../../shared/view';
import type { PortState, RowMeta } from './port-state';
import type { PortStore } from './port-store';

/**
 * How components reach the page's store: the root provides it (PortStoreProvider) and components
 * read through these hooks, each selecting a stable value so a component re-renders only when what
 * it shows changed.
 */

const PortStoreContext = createContext<PortStore | null>(null);

/** Make `store` the store of everything rendered inside. */
export function PortStoreProvider({ store, children }: { store: PortStore; children?: ReactNode }) {
  return createElement(PortStoreContext.Provider, { value: store }, children);
}

/** The store of this tree (for actions: `usePortStoreApi().getState().setView('all')`). */
export function usePortStoreApi(): PortStore {
  const store = useContext(PortStoreContext);
  if (!store) throw new Error('No port store: render inside <PortStoreProvider>.');
  return store;
}

/** Select a value from the store's state (re-renders when it changes). */
export function usePortState<T>(select: (s: PortState) => T): T {
  return useStore(usePortStoreApi(), select);
}

/**
 * The filter text the table shows results for. It trails the input by a render: a keystroke first
 * paints the input (React renders it urgently, without filtering 10,000 rows), then the rows.
 */
export const useShownFilterText = (): string => usePortState((s) => s.shownFilterText);

/** Rows the table shows, in order (for the shown filter text). */
export function useVisibleRows(): ViewRow[] {
  const store = usePortStoreApi();
  const text = useShownFilterText();
  const sorted = usePortState(store.select.sorted);
  return useMemo(() => store.select.visibleFor(sorted, text), [store, sorted, text]);
}

/**
 * "12 of 340": lines shown after the filter, lines in the view (both counting rows still on screen
 * while they leave), and `live`: lines in the view that are not leaving.
 */
export function useCounts(): { shown: number; total: number; live: number } {
  const store = usePortStoreApi();
  const text = useShownFilterText();
  const { total, live, sorted } = usePortState(
    useShallow((s: PortState) => {
      const sorted = store.select.sorted(s);
      return { total: sorted.rows.length, live: sorted.live, sorted };
    }),
  );
  const shown = useMemo(() => store.select.visibleFor(sorted, text).length, [store, sorted, text]);
  return { shown, total, live };
}

/** Lines in the view that are not leaving (the status bar's count; no filter involved). */
export function useLiveCount(): number {
  const store = usePortStoreApi();
  return usePortState((s) => store.select.sorted(s).live);
}

/** Problems in the text the rows on screen are for (the hint follows the rows, like the count). */
export function useShownFilterIssues() {
  const store = usePortStoreApi();
  return usePortState((s) => store.select.filterIssues(s.shownFilterText));
}

export const useView = () => usePortState((s) => s.view);
export const useSort = () => usePortState((s) => s.sort);
export const useStatus = () => usePortState((s) => s.status);
export const useConnection = () => usePortState((s) => s.connection);
export const useErrors = () => usePortState((s) => s.errors);
export const useLoadError = () => usePortState((s) => s.loadError);
export const useLastUpdate = () => usePortState((s) => s.lastUpdate);
/** True once the first snapshot has arrived (before that the table says "Loading…"). */
export const useLoaded = () => usePortState((s) => s.seq !== null);
export const useSelectedKey = () => usePortState((s) => s.selectedKey);
export const useDetailsOpen = () => usePortState((s) => s.detailsOpen);
/** The store's version (rows are mutated in place; this says when). */
export const useVersion = () => usePortState((s) => s.version);

/** The highlight marks of a row (read during render; the table re-renders on every version). */
export function useRowMetaReader(): (key: string) => RowMeta | undefined {
  const store = usePortStoreApi();
  return (key) => store.getState().meta.get(key);
}

/** The selected line as the table shows it, or null. */
export function useSelectedRow(): ViewRow | null {
  const store = usePortStoreApi();
  return usePortState(store.select.selectedRow);
}

/** Listening view rows (merged twins, sorted by port, nothing leaving), whatever the table view. */
export function useListeningRows(): ViewRow[] {
  const store = usePortStoreApi();
  return usePortState(store.select.listening);
}

/** Every live socket a process holds (as any holder), for the details panel. */
export function useSocketsOfPid(pid: number | null): SocketRow[] {
  const store = usePortStoreApi();
  return usePortState((s) => store.select.socketsOfPid(s, pid));
}
