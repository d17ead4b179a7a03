import type { SocketRow } from '../../../shared/model';

/**
 * Overrides beyond this many (or a quarter of the rows) are folded into a fresh root: each step
 * copies the overrides, so they must stay few.
 */
const FOLD_AT = 1024;

/**
 * A poll's rows by key, made from the previous poll's map by replacing a few rows (an idle poll in
 * the All-sockets view where only some connections' byte counters moved). Building it costs the
 * replaced rows, not the 25,000 others: a plain copy of the map would cost every row, every second.
 *
 * Immutable like the maps it stands in for (the monitor diffs the previous poll against it, views
 * keep it as their base): `root` is a map nobody changes, `overrides` the rows replaced since that
 * root, `parent` the very map this one was made from and `delta` the rows replaced in this step,
 * so the monitor's diff against `parent` is `delta` alone (see madeFrom).
 */
export class PatchedRows implements ReadonlyMap<string, SocketRow> {
  private constructor(
    private readonly root: ReadonlyMap<string, SocketRow>,
    private readonly overrides: ReadonlyMap<string, SocketRow>,
    /**
     * The map this one was made from, weakly: a strong link would keep every map since the last
     * full poll alive, a chain as long as the monitor has been idle.
     */
    private readonly parent: WeakRef<ReadonlyMap<string, SocketRow>>,
    /** The rows replaced in this step (every key is in `parent`). */
    readonly delta: readonly SocketRow[],
  ) {}

  /** Whether this map was made from `map` by replacing `delta` (so a diff against it is `delta`). */
  madeFrom(map: ReadonlyMap<string, SocketRow>): boolean {
    return this.parent.deref() === map;
  }

  /**
   * `parent` with `replaced` rows put in place of the rows of the same key (keys must exist in
   * `parent`: no row is added or removed this way). Once the overrides grow past 1,024 (or a
   * quarter of the rows) they are folded into a new root, so a busy machine does not copy or look
   * through a large overlay on every poll.
   */
  static of(parent: ReadonlyMap<string, SocketRow>, replaced: readonly SocketRow[]): PatchedRows {
    const root = parent instanceof PatchedRows ? parent.root : parent;
    const overrides = new Map(parent instanceof PatchedRows ? parent.overrides : undefined);
    for (const r of replaced) overrides.set(r.key, r);
    const link = new WeakRef(parent);
    if (overrides.size <= Math.min(FOLD_AT, root.size / 4))
      return new PatchedRows(root, overrides, link, replaced);
    const folded = new Map<string, SocketRow>();
    for (const [k, v] of root) folded.set(k, overrides.get(k) ?? v);
    return new PatchedRows(folded, new Map(), link, replaced);
  }

  get size(): number {
    return this.root.size;
  }

  get(key: string): SocketRow | undefined {
    return this.overrides.get(key) ?? this.root.get(key);
  }

  has(key: string): boolean {
    return this.root.has(key);
  }

  *entries(): MapIterator<[string, SocketRow]> {
    for (const [k, v] of this.root) yield [k, this.overrides.get(k) ?? v];
  }

  *keys(): MapIterator<string> {
    yield* this.root.keys();
  }

  *values(): MapIterator<SocketRow> {
    for (const [k, v] of this.root) yield this.overrides.get(k) ?? v;
  }

  [Symbol.iterator](): MapIterator<[string, SocketRow]> {
    return this.entries();
  }

  forEach(
    fn: (value: SocketRow, key: string, map: ReadonlyMap<string, SocketRow>) => void,
    thisArg?: unknown,
  ): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }
}
