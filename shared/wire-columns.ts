/**
 * Rows as columns, for the snapshot on the wire (shared/wire.ts). A 10,000-row snapshot as one JSON
 * object per row repeats every field name and every address, state and user on every row: ~400 bytes
 * a row, 4 MB that the server took ~100 ms to pack and stringify and the page ~250 ms to receive and
 * parse before its first paint. As columns each field name crosses once, a field whose values repeat
 * (state, address, user, exposure…) crosses as a small dictionary plus one index per row, and nested
 * objects (traffic) become columns of their own: ~60 bytes a row, parsed as a few flat arrays.
 *
 * Generic over the fields (shared/wire.ts packs the fields of a row it lists). The decoder is the page's
 * boundary with the server: it checks the shape (lengths, indices, types) and throws a WireError
 * that says what was wrong, never a TypeError from deep inside.
 */

/**
 * One field of every row. `v`: the value per row; `d` + `i`: a dictionary and each row's index into
 * it, or `d` + `r`: the same indices as runs ([index, count, index, count…]: rows come grouped, so a
 * column of one state or one address is a few numbers); `t`: objects, as a table of their own (`z`:
 * rows whose value is null). `a`: rows that do not have the field at all, as runs ([first row,
 * count…]); their slot in `v`/`i`/`t` is a placeholder.
 */
export type Column =
  | { v: unknown[]; a?: number[] }
  | { d: unknown[]; i: number[]; a?: number[] }
  | { d: unknown[]; r: number[]; a?: number[] }
  | { t: ColumnTable; z?: number[]; a?: number[] };

/** `n` rows as one column per field. */
export interface ColumnTable {
  n: number;
  cols: Record<string, Column>;
}

/** Malformed data from the other side of the wire. */
export class WireError extends Error {
  constructor(message: string) {
    super(`Portscope sent malformed data: ${message}`);
    this.name = 'WireError';
  }
}

const ABSENT: unique symbol = Symbol('absent');
/** Rows per message the decoder accepts (far above any machine's socket count). */
const MAX_ROWS = 2_000_000;
/** Field names that would reach an object's prototype when assigned. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Sorted row numbers as runs: [first, count, first, count…]. */
function toRanges(rows: number[]): number[] {
  const out: number[] = [];
  for (const r of rows) {
    const last = out.length - 2;
    if (last >= 0 && (out[last] as number) + (out[last + 1] as number) === r)
      out[last + 1] = (out[last + 1] as number) + 1;
    else out.push(r, 1);
  }
  return out;
}

/** Dictionary indices as runs when that is shorter: [index, count, index, count…]. */
function indexColumn(i: number[]): { i: number[] } | { r: number[] } {
  const r: number[] = [];
  for (let k = 0; k < i.length; k++) {
    const x = i[k] as number;
    if (r.length > 0 && r[r.length - 2] === x) r[r.length - 1] = (r[r.length - 1] as number) + 1;
    else {
      r.push(x, 1);
      if (r.length > i.length) return { i };
    }
  }
  return { r };
}

/** A value's dictionary key: itself, or its JSON for an array (an owner list [pid, proc…]). */
const dictKey = (x: unknown): unknown => (Array.isArray(x) ? JSON.stringify(x) : x);

/**
 * One column from its values, one per row (undefined: the row lacks the field), in the forms
 * toColumns chooses. Takes `values` over (it is reused).
 */
export function columnOf(values: unknown[]): Column {
  return encodeColumn(values);
}

/** Encode one column's values (ABSENT where a row lacks the field); reuses `values`. */
function encodeColumn(values: unknown[]): Column {
  const n = values.length;
  let absent: number[] | undefined;
  let flat = true;
  let objects = true;
  for (let r = 0; r < n; r++) {
    const x = values[r];
    if (x === ABSENT || x === undefined) {
      absent ??= [];
      absent.push(r);
      values[r] = null;
      continue;
    }
    if (x === null) continue;
    if (typeof x === 'object' && !Array.isArray(x)) flat = false;
    else objects = false;
  }
  const a = absent ? { a: toRanges(absent) } : {};
  if (flat) {
    const dict = dictionary(values);
    if (dict) return { ...dict, ...a };
  }
  if (!flat && objects) {
    const z: number[] = [];
    const inner: object[] = new Array(n);
    const absentAt = new Set(absent);
    for (let r = 0; r < n; r++) {
      const x = values[r];
      if (x === null && !absentAt.has(r)) z.push(r);
      inner[r] = (x ?? {}) as object;
    }
    return { t: toColumns(inner), ...(z.length ? { z: toRanges(z) } : {}), ...a };
  }
  return { v: values, ...a };
}

/**
 * Values as a dictionary and indices (or runs of them), or null when they hardly repeat: a column
 * of unique values (the key, the inode, a port) gives up after a few dozen rows.
 */
function dictionary(values: unknown[]): { d: unknown[]; i: number[] } | { d: unknown[]; r: number[] } | null {
  const n = values.length;
  if (n < 4) return null;
  const index = new Map<unknown, number>();
  const d: unknown[] = [];
  const i: number[] = new Array(n);
  const limit = n >> 3;
  for (let r = 0; r < n; r++) {
    if (r === 64 && d.length > 32) return null;
    const x = values[r];
    // Rows come grouped (one process, one state…): the value of the row before answers most rows.
    if (r > 0 && sameValue(x, values[r - 1])) {
      i[r] = i[r - 1] as number;
      continue;
    }
    const key = dictKey(x);
    let k = index.get(key);
    if (k === undefined) {
      k = d.length;
      if (k > limit) return null;
      d.push(x);
      index.set(key, k);
    }
    i[r] = k;
  }
  return { d, ...indexColumn(i) };
}

/** The same primitive, or arrays of the same primitives (owner lists). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * Rows as columns. `skip` names fields left out (the caller sends them its own way). A field whose
 * value is `undefined` counts as absent, as JSON would have it.
 */
export function toColumns(rows: readonly object[], skip?: ReadonlySet<string>): ColumnTable {
  const n = rows.length;
  const byName = new Map<string, unknown[]>();
  // Rows mostly list the same fields in the same order: the j-th field name of the last row and its
  // column answer without a map lookup (names are the same interned strings).
  const lastNames: string[] = [];
  const lastCols: (unknown[] | null)[] = [];
  for (let r = 0; r < n; r++) {
    const row = rows[r] as Record<string, unknown>;
    let j = 0;
    for (const name in row) {
      let col: unknown[] | null | undefined;
      if (lastNames[j] === name) col = lastCols[j] as unknown[] | null;
      else {
        col = skip?.has(name) ? null : byName.get(name);
        if (col === undefined) {
          col = new Array(n).fill(ABSENT);
          byName.set(name, col);
        }
        lastNames[j] = name;
        lastCols[j] = col;
      }
      j++;
      const x = row[name];
      if (col !== null && x !== undefined) col[r] = x;
    }
  }
  const cols: Record<string, Column> = {};
  for (const [name, values] of byName) cols[name] = encodeColumn(values);
  return { n, cols };
}

const isIndex = (x: unknown, size: number): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < size;

/** Checks `xs` is a list of runs [first row, count…] within n rows; returns it (null when absent). */
function rowRuns(xs: unknown, n: number, what: string): number[] | null {
  if (xs === undefined) return null;
  if (!Array.isArray(xs) || xs.length % 2 !== 0) throw new WireError(`${what} is not a list of rows`);
  for (let k = 0; k < xs.length; k += 2) {
    const first = xs[k];
    const count = xs[k + 1];
    if (!isIndex(first, n) || !isIndex(count, n + 1) || first + count > n)
      throw new WireError(`${what} names a row that does not exist`);
  }
  return xs as number[];
}

/** Set `value` on every row the runs name (Array.fill per run: no loop per row). */
function fillRuns(out: unknown[], runs: number[], value: unknown): void {
  for (let k = 0; k < runs.length; k += 2) {
    const first = runs[k] as number;
    out.fill(value, first, first + (runs[k + 1] as number));
  }
}

/** Values from dictionary runs [index, count…], checked against the dictionary's size and n. */
function fromRuns(runs: unknown, d: unknown[], n: number, name: string): unknown[] {
  if (!Array.isArray(runs) || runs.length % 2 !== 0)
    throw new WireError(`column "${name}" has no valid runs`);
  const out = new Array(n);
  let at = 0;
  for (let k = 0; k < runs.length; k += 2) {
    const x = runs[k];
    const count = runs[k + 1];
    if (!isIndex(x, d.length)) throw new WireError(`column "${name}" points outside its dictionary`);
    if (!isIndex(count, n + 1) || at + count > n)
      throw new WireError(`column "${name}" has more than ${n} values`);
    out.fill(d[x], at, at + count);
    at += count;
  }
  if (at !== n) throw new WireError(`column "${name}" does not have ${n} values`);
  return out;
}

/** The values of one column, one per row (undefined where the row lacks the field). */
function decodeColumn(col: unknown, n: number, name: string, check?: (x: unknown) => boolean): unknown[] {
  if (typeof col !== 'object' || col === null) throw new WireError(`column "${name}" is not an object`);
  const c = col as {
    v?: unknown;
    d?: unknown;
    i?: unknown;
    r?: unknown;
    t?: unknown;
    z?: unknown;
    a?: unknown;
  };
  const absent = rowRuns(c.a, n, `column "${name}"'s absent list`);
  // A required field: every row has it, with a value `check` accepts (checked once per dictionary entry).
  if (check && absent?.some((x, k) => k % 2 === 1 && x > 0)) throw new WireError(`a row has no ${name}`);
  const bad = () => new WireError(`column "${name}" holds a value that is not a valid ${name}`);
  let out: unknown[];
  if (c.v !== undefined) {
    if (!Array.isArray(c.v) || c.v.length !== n)
      throw new WireError(`column "${name}" does not have ${n} values`);
    out = absent ? c.v.slice() : c.v;
    if (check) for (let r = 0; r < n; r++) if (!check(out[r])) throw bad();
  } else if (c.d !== undefined) {
    const { d, i } = c;
    if (!Array.isArray(d)) throw new WireError(`column "${name}" has no dictionary`);
    if (check) for (const x of d) if (!check(x)) throw bad();
    if (c.r !== undefined) out = fromRuns(c.r, d, n, name);
    else {
      if (!Array.isArray(i) || i.length !== n)
        throw new WireError(`column "${name}" does not have ${n} indices`);
      out = new Array(n);
      for (let r = 0; r < n; r++) {
        const k = i[r];
        if (!isIndex(k, d.length)) throw new WireError(`column "${name}" points outside its dictionary`);
        out[r] = d[k];
      }
    }
  } else if (c.t !== undefined) {
    const inner = fromColumns(c.t, `column "${name}"`);
    if (inner.length !== n) throw new WireError(`column "${name}" does not have ${n} objects`);
    const nulls = rowRuns(c.z, n, `column "${name}"'s null list`);
    out = inner;
    if (nulls) fillRuns(out, nulls, null);
    if (check) for (let r = 0; r < n; r++) if (!check(out[r])) throw bad();
  } else throw new WireError(`column "${name}" has no values`);
  if (absent) fillRuns(out, absent, undefined);
  return out;
}

/** The number of rows a table says it has, checked. */
function rowCount(table: unknown, what: string): number {
  const n = (table as { n?: unknown } | null)?.n;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_ROWS)
    throw new WireError(`${what} has no valid row count`);
  const cols = (table as { cols?: unknown }).cols;
  if (typeof cols !== 'object' || cols === null || Array.isArray(cols))
    throw new WireError(`${what} has no columns`);
  return n;
}

/**
 * Every column of a table, checked, by field name: one value per row, undefined where a row lacks
 * the field. `required` fields must be on every row with a value their check accepts. Throws WireError.
 */
export function readColumns(
  table: unknown,
  what = 'the table',
  required: Readonly<Record<string, (x: unknown) => boolean>> = {},
): { n: number; values: Map<string, unknown[]> } {
  const n = rowCount(table, what);
  const cols = (table as ColumnTable).cols;
  const values = new Map<string, unknown[]>();
  for (const name of Object.keys(cols)) {
    if (FORBIDDEN.has(name)) throw new WireError(`${what} has a field named "${name}"`);
    values.set(
      name,
      decodeColumn(cols[name], n, name, Object.hasOwn(required, name) ? required[name] : undefined),
    );
  }
  for (const name of Object.keys(required)) {
    if (n > 0 && !values.has(name)) throw new WireError(`${what} has no ${name} column`);
  }
  return { n, values };
}

/**
 * Rows back from columns, one plain object per row with the fields it had. Generic, so slower per
 * row than a literal: for small nested objects (traffic); rows themselves are rebuilt by wire.ts.
 */
export function fromColumns(table: unknown, what = 'the table'): Record<string, unknown>[] {
  const { n, values } = readColumns(table, what);
  const names = [...values.keys()];
  const cols = [...values.values()];
  const rows: Record<string, unknown>[] = new Array(n);
  for (let r = 0; r < n; r++) {
    const row: Record<string, unknown> = {};
    for (let j = 0; j < names.length; j++) {
      const x = (cols[j] as unknown[])[r];
      if (x !== undefined) row[names[j] as string] = x;
    }
    rows[r] = row;
  }
  return rows;
}
