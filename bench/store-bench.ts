import { createPortStore } from '../renderer/src/store/port-store';
import type { PortscopeApi } from '../shared/contract';
import type { Delta, Snapshot, SocketRow } from '../shared/model';
import { testRow } from '../shared/testing/rows';

/**
 * `node --import tsx bench/store-bench.ts`: the renderer store alone, in Node, on 10,000 rows like
 * the UI bench's (one process holds them all): the cost of the first snapshot and of 100-change
 * deltas in the All-sockets view, split by step, so a regression is found without a browser.
 * Prints figures; asserts nothing.
 */

const N = Number(process.env.STORE_ROWS ?? 10_000);
const process0 = testRow(1).process;
function row(i: number): SocketRow {
  const listening = i < 2000;
  return testRow(listening ? 20000 + i : 40000 + (i % 20000), {
    key: `tcp:c${i}`,
    remoteAddress: listening ? null : '127.0.0.1',
    remotePort: listening ? null : 20000,
    state: listening ? 'LISTEN' : 'ESTABLISHED',
    process: process0,
  });
}

const api = {
  transport: 'ws',
  request: async () => {
    throw new Error('not in this bench');
  },
  on: () => () => {},
  onConnection: () => () => {},
} as unknown as PortscopeApi;

const t = (f: () => void) => {
  const s = performance.now();
  f();
  return performance.now() - s;
};
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;

for (let round = 0; round < 3; round++) {
  const store = createPortStore(api, { lingerMs: 1500 });
  store.setState({ view: 'all' });
  const rows = Array.from({ length: N }, (_, i) => row(i));
  const snap: Snapshot = { seq: 1, takenAt: Date.now(), scope: 'all', rows, errors: [] };
  const apply = t(() => store.applySnapshot(snap));
  const sort = t(() => store.select.sorted(store.getState()));
  const vis = t(() => store.select.visible(store.getState()));
  const deltaApply: number[] = [];
  const deltaSort: number[] = [];
  let next = N;
  for (let d = 0; d < 30; d++) {
    const removed = Array.from({ length: 50 }, (_, k) => `tcp:c${2000 + d * 50 + k}`);
    const added = Array.from({ length: 50 }, () => row(next++));
    const delta: Delta = { seq: 2 + d, takenAt: Date.now(), added, removed, changed: [] };
    deltaApply.push(t(() => store.applyDelta(delta)));
    deltaSort.push(t(() => store.select.visible(store.getState())));
  }
  console.log(
    `store ${N} rows: snapshot apply ${apply.toFixed(1)} ms, first sort ${sort.toFixed(1)} ms, visible ${vis.toFixed(1)} ms | 100-change delta apply p95 ${p95(deltaApply).toFixed(2)} ms, re-sort+filter p95 ${p95(deltaSort).toFixed(2)} ms`,
  );
  store.stop();
}
