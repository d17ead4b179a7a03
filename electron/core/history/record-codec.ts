import zlib from 'node:zlib';
import type { HistoryEvent } from '../../../shared/history';

/**
 * One record per line: `<crc32 of the JSON, 8 hex> <JSON>\n`. JSON never holds a raw newline, so a
 * line is a record; the CRC tells a whole record from a torn or damaged one. A reader stops trusting
 * a line, never a file: the records before and after a bad line are still read.
 */

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

const nativeCrc = typeof zlib.crc32 === 'function' ? zlib.crc32 : null;

/** CRC-32 (IEEE, as zlib and gzip compute it) of bytes[start, end): zlib's where Node has it (20.15+). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (nativeCrc) return nativeCrc(bytes.subarray(start, end)) >>> 0;
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = (TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The first record of every segment: says the file is ours, which version, and who writes it. */
export interface SegmentHeader {
  magic: 'portscope-history';
  v: 1;
  /** The writing process (a live writer's segment is never repaired by another process). */
  pid: number;
  startId: string | null;
  created: number;
}

export const MAGIC = 'portscope-history';

/** Encode one value as a framed line. */
export function encodeRecord(value: HistoryEvent | SegmentHeader): Buffer {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  const out = Buffer.allocUnsafe(json.length + 10);
  out.write(crc32(json).toString(16).padStart(8, '0'), 0, 'latin1');
  out[8] = 0x20;
  json.copy(out, 9);
  out[out.length - 1] = 0x0a;
  return out;
}

export interface DecodedSegment {
  header: SegmentHeader | null;
  events: HistoryEvent[];
  /** Byte offset just past the last whole record: a torn tail starts here. */
  goodEnd: number;
  /** Lines that ended with a newline but failed the CRC or the JSON (damage, not a crash). */
  damaged: number;
  /** Bytes after goodEnd (a record the writer did not finish). */
  tornBytes: number;
}

function hexAt(buf: Buffer, start: number): number | null {
  let v = 0;
  for (let i = start; i < start + 8; i++) {
    const c = buf[i] as number;
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return null;
    v = v * 16 + d;
  }
  return v;
}

function isHeader(v: unknown): v is SegmentHeader {
  const h = v as SegmentHeader;
  return typeof h === 'object' && h !== null && h.magic === MAGIC && h.v === 1 && Number.isInteger(h.pid);
}

/** A stored event has at least a time and a kind we know; anything else is skipped. */
function isEvent(v: unknown): v is HistoryEvent {
  const e = v as HistoryEvent;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.t === 'number' &&
    ['open', 'close', 'seen', 'kill', 'start', 'stop'].includes(e.kind)
  );
}

/**
 * Decode a segment's bytes. The first line must be a header (else `header` is null: not our file,
 * or a file torn before its header was written). `keep` decides per event whether to keep it
 * (cheap pre-filtering of a huge file).
 */
export function decodeSegment(
  buf: Buffer,
  keep: (e: HistoryEvent) => boolean = () => true,
  needles: readonly Buffer[] | null = null,
): DecodedSegment {
  // With needles, a line holding none of them is skipped unparsed (a one-port query of a big file).
  const next = needles?.map((n) => ({ n, at: buf.indexOf(n) })) ?? null;
  const mayHold = (start: number, end: number) => {
    if (!next) return true;
    let hit = false;
    for (const x of next) {
      if (x.at >= 0 && x.at < start) x.at = buf.indexOf(x.n, start);
      if (x.at >= start && x.at < end) hit = true;
    }
    return hit;
  };
  const events: HistoryEvent[] = [];
  let header: SegmentHeader | null = null;
  let pos = 0;
  let damaged = 0;
  let first = true;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) break;
    if (!first && !mayHold(pos, nl)) {
      pos = nl + 1;
      continue;
    }
    const ok = nl - pos >= 11 && buf[pos + 8] === 0x20 && hexAt(buf, pos) === crc32(buf, pos + 9, nl);
    let value: unknown = null;
    if (ok) {
      try {
        value = JSON.parse(buf.toString('utf8', pos + 9, nl));
      } catch {
        value = null;
      }
    }
    if (first) {
      first = false;
      if (!isHeader(value)) return { header: null, events, goodEnd: 0, damaged: 0, tornBytes: buf.length };
      header = value;
    } else if (isEvent(value)) {
      if (keep(value)) events.push(value);
    } else {
      damaged++;
    }
    pos = nl + 1;
  }
  return { header, events, goodEnd: pos, damaged, tornBytes: buf.length - pos };
}
