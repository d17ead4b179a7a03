// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { isListening } from '../../../shared/socket-rules';
import { setApi } from '../api';
import type { PortStore } from '../store';
import { createScriptedApi, testRow } from '../testing/scripted-api';
import { startTestStore, storeWrapper } from '../testing/store-harness';
import { useNoiseCounts } from './use-noise';

/** The counts by their definition: a pass over every line (what the hook's shortcut must equal). */
function byDefinition(store: PortStore) {
  const s = store.getState();
  const leaving = (key: string) => !!s.meta.get(key)?.removedAt;
  const sorted = store.select.sorted(s).rows;
  const visible = store.select.visibleFor(store.select.sorted(s), s.shownFilterText);
  const live = sorted.filter((vr) => !leaving(vr.key)).length;
  return { live, shown: visible.filter((vr) => !leaving(vr.key)).length, hidden: 0 };
}

let store: PortStore | null = null;
let seen: ReturnType<typeof useNoiseCounts> | null = null;
function Probe() {
  seen = useNoiseCounts();
  return null;
}
afterEach(() => {
  cleanup();
  store?.stop();
  setApi(null);
});

it('counts lines in All sockets without a pass per delta, equal to counting them one by one', async () => {
  const rows = Array.from({ length: 40 }, (_, i) =>
    testRow(3000 + i, i % 2 ? { state: 'ESTABLISHED', remoteAddress: '127.0.0.1', remotePort: 9 } : {}),
  );
  const api = createScriptedApi(rows);
  setApi(api);
  store = startTestStore(api, { lingerMs: 60_000 });
  store.setState({ view: 'all' });
  render(<Probe />, { wrapper: storeWrapper(store) });
  const settle = () => act(async () => new Promise((r) => setTimeout(r, 0)));
  await settle();
  expect(seen).toEqual({ live: 40, shown: 40, hidden: 0 });

  // Ten rows go: they linger (leaving), so they are counted neither as live nor as shown.
  await act(async () => api.poll(rows.slice(10)));
  await settle();
  expect(seen).toEqual(byDefinition(store));
  expect(seen).toMatchObject({ live: 30, shown: 30 });

  // A filter that keeps listeners only, with leaving rows among them and among the rest.
  await act(async () => store?.setState({ filterText: 'state:listen', shownFilterText: 'state:listen' }));
  await settle();
  expect(seen).toEqual(byDefinition(store));
  expect(seen).toMatchObject({ shown: rows.slice(10).filter(isListening).length });
});
