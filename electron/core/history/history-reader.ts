import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { HistoryEvent } from '../../../shared/history';
import { readStartId } from '../processes/proc-identity';
import {
  inDir,
  keepAside,
  listSegments,
  readIndex,
  readIndexes,
  readRegular,
  removeSegment,
  type SegmentIndex,
  writeIndex,
} from './history-files';
import { decodeSegment } from './record-codec';

/**
 * Reading the history back, repairing what a crash left, and trimming it. A sealed segment has an
 * index (time range, ports): a query for one port or one time skips every segment that cannot
 * hold an answer, unread. A segment without an index is being written, or its writer died: then
 * it is read whole, and repaired once its writer is gone.
 */

export interface ReadOptions {
  /** Only events about this port (and the recorder's start/stop). */
  port?: number;
  /** Only segments that hold events at or before this time. */
  to?: number;
  /**
   * Only segments that hold events at or after this time: a recorder's segment starts with the
   * sockets open at its start (`seen`), so a span open before the window is still found.
   */
  from?: number;
}

export interface ReadResult {
  events: HistoryEvent[];
  /** Records that failed their CRC (damage, not a crash's torn tail). */
  damaged: number;
  /** Files that are not history segments (kept aside by the next repair). */
  foreign: number;
}

/** Is this event about this port? (start/stop always are: they bound every span.) */
function about(port: number): (e: HistoryEvent) => boolean {
  return (e) => {
    if (e.kind === 'start' || e.kind === 'stop') return true;
    if (e.kind === 'kill') return e.ports.includes(port);
    return e.port === port;
  };
}

/** Every event the folder holds that the options ask for, in time order. */
export async function readHistory(dir: string, options: ReadOptions = {}): Promise<ReadResult> {
  const keep = options.port === undefined ? undefined : about(options.port);
  // The writer's JSON: `"port":N,` in socket events; kills and marks are read whole.
  const needles =
    options.port === undefined
      ? null
      : [`"port":${options.port},`, '"kind":"kill"', '"kind":"start"', '"kind":"stop"'].map((n) =>
          Buffer.from(n),
        );
  const out: HistoryEvent[] = [];
  let damaged = 0;
  let foreign = 0;
  const files = (await listSegments(dir)).map((name) => inDir(dir, name));
  const indexes = await readIndexes(files);
  for (const [i, file] of files.entries()) {
    const idx = indexes[i] ?? null;
    if (idx && options.to !== undefined && idx.from > options.to) continue;
    if (idx && options.from !== undefined && idx.to < options.from) continue;
    // A port query skips sealed segments that never saw the port, except for their start/stop.
    if (idx && options.port !== undefined && !idx.ports.includes(options.port) && !idx.marks) continue;
    const r = await readRegular(file);
    if (r.kind !== 'bytes') {
      if (r.kind === 'refused') foreign++;
      continue;
    }
    const seg = decodeSegment(r.bytes, keep, needles);
    if (!seg.header) {
      if (r.bytes.length > 0) foreign++;
      continue;
    }
    damaged += seg.damaged;
    for (const e of seg.events) out.push(e);
  }
  // Segments of several writers interleave in time; a stable sort keeps each batch's order.
  out.sort((a, b) => a.t - b.t);
  return { events: out, damaged, foreign };
}

export interface RepairReport {
  /** Segments whose torn last record was cut off. */
  truncated: string[];
  /** Files kept aside as `<name>.corrupt-<time>`. */
  keptAside: string[];
  /** Segments sealed (index written) after their writer died. */
  sealed: string[];
}

async function writerAlive(pid: number, startId: string | null): Promise<boolean> {
  if (pid === process.pid) return true;
  const now = await readStartId(pid).catch(() => null);
  return now !== null && (startId === null || now === startId);
}

/**
 * Repair what crashed writers left: cut a torn last record, write the missing index, keep a
 * foreign or damaged file aside. A live writer's segment (another Portscope running now) is left
 * alone. Never throws for a bad file: a bad file must not block the start.
 */
export async function repairHistory(dir: string, now = new Date()): Promise<RepairReport> {
  const report: RepairReport = { truncated: [], keptAside: [], sealed: [] };
  for (const name of await listSegments(dir)) {
    const file = inDir(dir, name);
    if (await readIndex(file)) continue;
    const r = await readRegular(file);
    if (r.kind === 'missing') continue;
    if (r.kind === 'refused') {
      report.keptAside.push(await keepAside(file, now));
      continue;
    }
    const seg = decodeSegment(r.bytes);
    if (!seg.header) {
      // Empty or a torn header: a writer that died before its first record; nothing to keep.
      if (r.bytes.length < 512 && !r.bytes.includes(0x0a)) await removeSegment(file);
      else report.keptAside.push(await keepAside(file, now));
      continue;
    }
    if (await writerAlive(seg.header.pid, seg.header.startId)) continue;
    if (seg.tornBytes > 0) {
      const handle = await open(file, constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0));
      try {
        await handle.truncate(seg.goodEnd);
        await handle.sync();
      } finally {
        await handle.close();
      }
      report.truncated.push(file);
    }
    await writeIndex(file, indexOf(seg.events, seg.goodEnd, seg.header.created));
    report.sealed.push(file);
  }
  return report;
}

function indexOf(events: HistoryEvent[], size: number, created: number): SegmentIndex {
  const ports = new Set<number>();
  let marks = 0;
  // An empty segment is dated by its creation; otherwise by its events only.
  let from = events.length > 0 ? Number.POSITIVE_INFINITY : created;
  let to = events.length > 0 ? Number.NEGATIVE_INFINITY : created;
  for (const e of events) {
    from = Math.min(from, e.t);
    to = Math.max(to, e.t);
    if (e.kind === 'open' || e.kind === 'close' || e.kind === 'seen') ports.add(e.port);
    else if (e.kind === 'kill') for (const p of e.ports) ports.add(p);
    else marks++;
  }
  return { v: 1, from, to, count: events.length, size, marks, ports: [...ports].sort((a, b) => a - b) };
}

export interface Retention {
  maxAgeDays: number;
  maxBytes: number;
}

/**
 * Trim sealed segments: those whose last event is older than the age limit, then the oldest until
 * the folder is under the size limit. The segment being written (no index) is never removed.
 */
export async function applyRetention(dir: string, keep: Retention, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  const sealed: { file: string; idx: SegmentIndex }[] = [];
  let total = 0;
  for (const name of await listSegments(dir)) {
    const file = inDir(dir, name);
    const idx = await readIndex(file);
    if (!idx) {
      const r = await readRegular(file);
      if (r.kind === 'bytes') total += r.bytes.length;
      continue;
    }
    total += idx.size;
    sealed.push({ file, idx });
  }
  const cutoff = now - keep.maxAgeDays * 86_400_000;
  sealed.sort((a, b) => a.idx.to - b.idx.to);
  for (const s of sealed) {
    if (s.idx.to >= cutoff && total <= keep.maxBytes) break;
    await removeSegment(s.file);
    removed.push(s.file);
    total -= s.idx.size;
  }
  return removed;
}
