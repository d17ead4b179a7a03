import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { SocketRow } from '../../../shared/model';
import { connectionRow } from '../../../shared/testing/rows';
import { diffRows } from '../monitor/diff';
import { PatchedRows } from './patched-rows';

function row(key: string, bytes = 0): SocketRow {
  return connectionRow(key, {
    traffic: { bytesSent: bytes, bytesReceived: 0, sendRate: null, receiveRate: null },
  });
}

const base = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`k${i}`, row(`k${i}`)]));

describe('PatchedRows', () => {
  it('reads like the map with the rows replaced, in the same order, without changing the parent', () => {
    const parent = base(8);
    const p = PatchedRows.of(parent, [row('k3', 10), row('k6', 20)]);
    const copy = new Map(parent);
    copy.set('k3', row('k3', 10));
    copy.set('k6', row('k6', 20));
    expect([...p.keys()]).toEqual([...copy.keys()]);
    expect([...p.values()].map((r) => r.traffic?.bytesSent)).toEqual(
      [...copy.values()].map((r) => r.traffic?.bytesSent),
    );
    expect([...p].map(([k]) => k)).toEqual([...copy.keys()]);
    expect(p.size).toBe(8);
    expect(p.get('k3')?.traffic?.bytesSent).toBe(10);
    expect(p.get('k4')).toBe(parent.get('k4'));
    expect(p.get('nope')).toBeUndefined();
    expect(p.has('k7')).toBe(true);
    expect(p.has('nope')).toBe(false);
    expect(parent.get('k3')?.traffic?.bytesSent).toBe(0);
    const seen: string[] = [];
    p.forEach((_, k) => {
      seen.push(k);
    });
    expect(seen).toEqual([...copy.keys()]);
  });

  it('knows its parent and this step: a diff against the parent is exactly the step', () => {
    const parent = base(40);
    const a = PatchedRows.of(parent, [row('k1', 5)]);
    const b = PatchedRows.of(a, [row('k2', 7)]);
    expect(b.madeFrom(a)).toBe(true);
    expect(b.madeFrom(parent)).toBe(false);
    expect(b.delta.map((r) => r.key)).toEqual(['k2']);
    expect(diffRows(a, b).changed.map((r) => r.key)).toEqual(['k2']);
    // Earlier steps stay visible through the chain.
    expect(b.get('k1')?.traffic?.bytesSent).toBe(5);
    expect(a.get('k2')?.traffic?.bytesSent).toBe(0);
  });

  it('folds overrides into a new root once they pass a quarter of the rows; reads stay the same', () => {
    const parent = base(8);
    let p = PatchedRows.of(parent, [row('k0', 1)]);
    for (let i = 1; i < 8; i++) p = PatchedRows.of(p, [row(`k${i}`, i + 1)]);
    expect([...p.values()].map((r) => r.traffic?.bytesSent)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(p.delta.map((r) => r.key)).toEqual(['k7']);
    expect(parent.get('k7')?.traffic?.bytesSent).toBe(0);
  });

  it('does not keep the maps it was made from alive: an idle hour is not a chain of 3,600 maps', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let p = PatchedRows.of(base(100), [row('k0', 1)]);
    const early = new WeakRef(p);
    for (let i = 1; i < 50; i++) p = PatchedRows.of(p, [row(`k${i % 10}`, i)]);
    // WeakRef targets live until the current job ends: let it end, then collect.
    await new Promise((r) => setTimeout(r, 0));
    gc();
    expect(early.deref()).toBeUndefined();
    expect(p.get('k9')?.traffic?.bytesSent).toBe(49);
  });
});
