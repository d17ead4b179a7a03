import type { ProcessInfo, SocketRow } from '../../shared/model';
import { escapeUnsafeJson } from './text';

/** Bytes per chunk handed to the writer: big enough for few write calls, small enough to stream. */
const CHUNK = 1 << 20;

/**
 * `list --json` for many rows: the same array of `jsonRow` objects (list-format.ts), one row per
 * line, terminal-unsafe characters escaped (escapeUnsafeJson), handed to `write` in UTF-8 chunks
 * of about 1 MiB (whole rows' pieces: a character is never split) as they are made.
 *
 * Why not `JSON.stringify(rows.map(jsonRow))`: at 25,000 rows that is 29 MB of text, most of it
 * the holder's process written twice per row. Made as one string it was an object per row, a
 * rope of 25,000 lines kept alive (and copied by every scavenge) until the end, then flattened
 * and encoded to UTF-8 in one go: together over half of `list --all --json`. Here each process
 * is encoded once and copied as bytes, each row's own fields are written straight into the
 * chunk, and a full chunk goes out at once, so nothing of a row outlives it.
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
  const bytes = (b: Buffer) => {
    if (at + b.length > CHUNK) {
      flush();
      if (b.length > CHUNK) {
        write(b);
        return;
      }
    }
    // TypedArray set, not Buffer#copy: copy makes a view object per call (50,000 calls at 25k rows).
    buf.set(b, at);
    at += b.length;
  };
  const procs = new Map<ProcessInfo, Buffer>();
  /** A process as JSON bytes, made once per process object; false when the key is left out. */
  const proc = (p: ProcessInfo | null | undefined): Buffer | false => {
    if (p === undefined) return false;
    let b = procs.get(p as ProcessInfo);
    if (b === undefined) {
      b = Buffer.from(value(p) as string);
      procs.set(p as ProcessInfo, b);
    }
    return b;
  };

  text('[\n');
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as SocketRow;
    // Each field is written with a leading comma; the object's first one loses it (as
    // JSON.stringify leaves out a key whose value is undefined, the first written may vary).
    const head =
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
      field(',"pid":', value(r.pid));
    const process = proc(r.process);
    text(`${i > 0 ? ',\n' : ''}  {${head.slice(1)}${process ? `${head ? ',' : ''}"process":` : ''}`);
    if (process) bytes(process);
    text(`${head || process ? ',' : ''}"owners":[`);
    for (let k = 0; k < r.owners.length; k++) {
      const o = r.owners[k];
      if (o === undefined || o === null) {
        text(k > 0 ? ',null' : 'null');
        continue;
      }
      const pid = field(',"pid":', value(o.pid));
      const owner = proc(o.process);
      text(`${k > 0 ? ',' : ''}{${pid.slice(1)}${owner ? `${pid ? ',' : ''}"process":` : ''}`);
      if (owner) bytes(owner);
      text('}');
    }
    text(
      ']' +
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
        (r.traffic ? `,"traffic":${value(r.traffic)}` : '') +
        '}',
    );
  }
  text('\n]\n');
  flush();
}

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

/** escapeUnsafeJson only when the text has anything past ASCII (it rarely does: one scan, no regex). */
function safe(json: string): string {
  for (let i = 0; i < json.length; i++) if (json.charCodeAt(i) > 0x7e) return escapeUnsafeJson(json);
  return json;
}
