import type { ProcessInfo, SocketRow } from '../../shared/model';
import { escapeUnsafeJson } from './text';

/** Bytes per chunk handed to the writer: big enough for few write calls, small enough to stream. */
const CHUNK = 1 << 20;
/** UTF-16 units of row text encoded at once (small enough to die young, big enough to amortise). */
const BATCH = 1 << 16;

/**
 * `list --json` for many rows: the same array of `jsonRow` objects (list-format.ts), one row per
 * line, terminal-unsafe characters escaped (escapeUnsafeJson), handed to `write` in UTF-8 chunks
 * of about 1 MiB (whole rows' pieces: a character is never split) as they are made.
 *
 * Why not `JSON.stringify(rows.map(jsonRow))`: at 25,000 rows that is 29 MB of text, most of it
 * the holder's process written twice per row. Made as one string it was an object per row, a
 * rope of 25,000 lines kept alive (and copied by every scavenge) until the end, then flattened
 * and encoded to UTF-8 in one go: together over half of `list --all --json`. Here each process
 * is serialised once (its text shared by every row), rows are plain string building, encoded
 * ~64 K characters at a time into the chunk, and a full chunk goes out at once: no row's text
 * outlives its batch, so scavenges find almost nothing alive.
 *
 * The bytes are those of the stringified `jsonRow` objects, escaped (json-rows.test.ts compares
 * them on constructed and real rows); keep the field order in step with `jsonRow`.
 */
export function writeJsonRows(rows: readonly SocketRow[], write: (chunk: Uint8Array) => void): void {
  if (rows.length === 0) {
    write(Buffer.from('[]\n'));
    return;
  }
  let buf = Buffer.allocUnsafe(CHUNK);
  let at = 0;
  const flush = () => {
    if (at === 0) return;
    write(buf.subarray(0, at));
    // A fresh chunk: the stream may still hold the last one (an asynchronous pipe or socket).
    buf = Buffer.allocUnsafe(CHUNK);
    at = 0;
  };
  const text = (s: string) => {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (at + s.length * 3 > CHUNK) {
      flush();
      if (s.length * 3 > CHUNK) {
        write(Buffer.from(s));
        return;
      }
    }
    at += buf.write(s, at);
  };
  const procs = new Map<ProcessInfo, string>();
  /** A process as (escaped) JSON, made once per process object; undefined when the key is left out. */
  const proc = (p: ProcessInfo | null | undefined): string | undefined => {
    if (p === undefined) return undefined;
    let s = procs.get(p as ProcessInfo);
    if (s === undefined) {
      s = value(p) as string;
      procs.set(p as ProcessInfo, s);
    }
    return s;
  };

  let pending = '[\n';
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as SocketRow;
    let owners = '';
    for (let k = 0; k < r.owners.length; k++) {
      const o = r.owners[k];
      owners +=
        o === undefined || o === null
          ? ',null'
          : `,${object(field(',"pid":', value(o.pid)) + field(',"process":', proc(o.process)))}`;
    }
    // One string per row (the process text is shared, not copied, until the write encodes it):
    // it dies right after, so the scavenger has nothing to keep.
    const body =
      field(',"protocol":', value(r.protocol)) +
      field(',"family":', value(r.family)) +
      field(',"localAddress":', value(r.localAddress)) +
      field(',"localPort":', value(r.localPort)) +
      field(',"remoteAddress":', value(r.remoteAddress)) +
      field(',"remotePort":', value(r.remotePort)) +
      field(',"state":', value(r.state)) +
      field(',"service":', value(r.service)) +
      field(',"serviceSource":', value(r.serviceSource ?? null)) +
      field(',"exposure":', value(r.exposure ?? null)) +
      field(',"pid":', value(r.pid)) +
      field(',"process":', proc(r.process)) +
      `,"owners":[${owners.slice(1)}]` +
      field(',"holder":', value(r.holder)) +
      field(',"inode":', value(r.inode)) +
      field(',"uid":', value(r.uid)) +
      field(',"user":', value(r.user)) +
      field(',"device":', value(r.device)) +
      field(',"v6only":', value(r.v6only)) +
      field(',"zone":', value(r.zone)) +
      field(',"remoteName":', value(r.remoteName ?? null)) +
      (r.container ? `,"container":${value(r.container)}` : '') +
      field(',"key":', value(r.key)) +
      (r.traffic ? `,"traffic":${value(r.traffic)}` : '');
    pending += `${i > 0 ? ',\n' : ''}  ${object(body)}`;
    // Encoded some rows at a time: one flatten and one write call per ~64 KB, not per row.
    if (pending.length > BATCH) {
      text(pending);
      pending = '';
    }
  }
  text(`${pending}\n]\n`);
  flush();
}

/** An object from its fields, each written with a leading comma (the first one's dropped). */
const object = (body: string): string => `{${body.slice(1)}}`;

/** The whole `list --json` text as one string (tests, small outputs). */
export function jsonRowsText(rows: readonly SocketRow[]): string {
  const chunks: Uint8Array[] = [];
  writeJsonRows(rows, (c) => chunks.push(c));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A value as JSON.stringify writes it inside an object, terminal-safe; undefined when the key is
 * left out (undefined, a function). Strings, numbers, booleans and null: the common case, done
 * without a general stringify call where the answer is known.
 */
function value(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return safe(JSON.stringify(v));
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default: {
      const json = JSON.stringify(v);
      return json === undefined ? undefined : safe(json);
    }
  }
}

/** `,"name":value`, or nothing when the value is left out (as JSON.stringify leaves the key out). */
const field = (key: string, v: string | undefined): string => (v === undefined ? '' : key + v);

/** Anything past ASCII (a superset of what escapeUnsafeJson escapes). */
const PAST_ASCII = /[\u007f-\uffff]/;

/** escapeUnsafeJson only when the text has anything past ASCII (it rarely does). */
function safe(json: string): string {
  return PAST_ASCII.test(json) ? escapeUnsafeJson(json) : json;
}
