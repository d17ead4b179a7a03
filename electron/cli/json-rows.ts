import type { ProcessInfo, SocketRow } from '../../shared/model';
import { escapeUnsafeJson } from './text';

/**
 * `list --json` for many rows: the same array of `jsonRow` objects (list-format.ts), one row per
 * line, terminal-unsafe characters escaped (escapeUnsafeJson). Written field by field instead of
 * `JSON.stringify(jsonRow(row))`: no object per row and per holder, no placeholder splicing, no
 * regex pass over the whole document (at 25,000 rows these were a fifth of `list --all --json`).
 * Each process is serialised once however many sockets it holds. The text is byte for byte what
 * `escapeUnsafeJson` of the stringified `jsonRow` objects gives (json-rows.test.ts checks it on
 * real rows); keep the field order in step with `jsonRow`.
 */
export function jsonRowsText(rows: readonly SocketRow[]): string {
  if (rows.length === 0) return '[]\n';
  const procs = new Map<ProcessInfo, string>();
  const proc = (p: ProcessInfo | null | undefined): string | undefined => {
    if (p === undefined) return undefined;
    if (p === null) return 'null';
    let s = procs.get(p);
    if (s === undefined) {
      s = safe(JSON.stringify(p));
      procs.set(p, s);
    }
    return s;
  };
  const lines: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as SocketRow;
    let owners = '[';
    for (let k = 0; k < r.owners.length; k++) {
      const o = r.owners[k];
      if (k > 0) owners += ',';
      if (o === undefined || o === null) owners += 'null';
      else owners += object(field(',"pid":', value(o.pid)) + field(',"process":', proc(o.process)));
    }
    owners += ']';
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
      `,"owners":${owners}` +
      field(',"holder":', value(r.holder)) +
      field(',"inode":', value(r.inode)) +
      field(',"uid":', value(r.uid)) +
      field(',"user":', value(r.user)) +
      field(',"device":', value(r.device)) +
      field(',"v6only":', value(r.v6only)) +
      field(',"zone":', value(r.zone)) +
      field(',"remoteName":', value(r.remoteName ?? null)) +
      (r.container ? `,"container":${safe(JSON.stringify(r.container))}` : '') +
      field(',"key":', value(r.key)) +
      (r.traffic ? `,"traffic":${safe(JSON.stringify(r.traffic))}` : '');
    lines[i] = `  ${object(body)}`;
  }
  return `[\n${lines.join(',\n')}\n]\n`;
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
    default:
      return v === null ? 'null' : safe(JSON.stringify(v) as string);
  }
}

/** `,"name":value`, or nothing when the value is left out (as JSON.stringify leaves the key out). */
const field = (key: string, v: string | undefined): string => (v === undefined ? '' : key + v);

/** An object from its fields, each written with a leading comma (the first one's dropped). */
const object = (body: string): string => `{${body.length > 0 ? body.slice(1) : ''}}`;

/** escapeUnsafeJson only when the text has anything past ASCII (it rarely does: one scan, no regex). */
function safe(json: string): string {
  for (let i = 0; i < json.length; i++) if (json.charCodeAt(i) > 0x7e) return escapeUnsafeJson(json);
  return json;
}
