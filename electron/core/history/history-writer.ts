import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { HistoryEvent } from '../../../shared/history';
import { ensureHistoryDir, inDir, type SegmentIndex, syncDir, writeIndex } from './history-files';
import { encodeRecord } from './record-codec';

/**
 * One process's appends. Every writer has segments of its own (the app's recorder, a CLI kill),
 * so two processes never write into one file and a reader never has to lock anything. A batch
 * (one poll's events) is one write() followed by one fdatasync: after a crash or a power loss at
 * most the batch in flight is missing, and its half-written line is ignored by every reader.
 */

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export interface WriterOptions {
  dir: string;
  /** Start a new segment past this size (default 1 MiB: retention and queries skip whole segments). */
  segmentBytes?: number;
  /** The writer's start identity, so a live writer's segment is never repaired by another process. */
  startId?: string | null | Promise<string | null>;
  now?: () => number;
  /**
   * The state to repeat at the head of each new segment after the first (the recorder's open
   * sockets as `seen`), so a query for a window reads only the segments that overlap it.
   */
  checkpoint?: (t: number, batch: readonly HistoryEvent[]) => HistoryEvent[];
  /** fdatasync after each batch (default true; the bench turns it off to measure the rest). */
  sync?: boolean;
}

export interface HistoryWriter {
  /** Append one batch; resolves when it is on disk. */
  append(events: readonly HistoryEvent[]): Promise<void>;
  /** Seal the current segment (write its index) and close it. */
  close(): Promise<void>;
  /** The segment being written (tests). */
  current(): string | null;
}

function stamp(ms: number): { day: string; name: string } {
  const iso = new Date(ms).toISOString();
  const day = iso.slice(0, 10).replaceAll('-', '');
  return { day, name: `${day}-${iso.slice(11, 19).replaceAll(':', '')}` };
}

interface Open {
  file: string;
  handle: FileHandle;
  day: string;
  idx: SegmentIndex;
  ports: Set<number>;
}

/** Open a writer; its first segment is created on the first append. */
export function createHistoryWriter(options: WriterOptions): HistoryWriter {
  const now = options.now ?? Date.now;
  const limit = options.segmentBytes ?? 1024 * 1024;
  const sync = options.sync ?? true;
  let seg: Open | null = null;
  let chain: Promise<void> = Promise.resolve();
  let ready = false;

  // Named and dated by its first event's time, so rotation by day follows the events' days.
  const create = async (t: number): Promise<Open> => {
    if (!ready) {
      await ensureHistoryDir(options.dir);
      ready = true;
    }
    const { day, name } = stamp(t);
    const file = inDir(options.dir, `ph-${name}-${process.pid}-${randomBytes(3).toString('hex')}.log`);
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_APPEND | NOFOLLOW;
    const handle = await open(file, flags, 0o600);
    const header = encodeRecord({
      magic: 'portscope-history',
      v: 1,
      pid: process.pid,
      startId: (await options.startId) ?? null,
      created: now(),
    });
    await handle.write(header);
    if (sync) {
      await handle.datasync();
      await syncDir(options.dir);
    }
    const idx: SegmentIndex = { v: 1, from: t, to: t, count: 0, size: header.length, marks: 0, ports: [] };
    return { file, handle, day, idx, ports: new Set() };
  };

  const seal = async (s: Open) => {
    s.idx.ports = [...s.ports].sort((a, b) => a - b);
    await s.handle.close();
    await writeIndex(s.file, s.idx);
  };

  const write = async (batch: readonly HistoryEvent[]) => {
    if (batch.length === 0) return;
    const first = batch[0] as HistoryEvent;
    let head: HistoryEvent[] = [];
    if (seg && (seg.idx.size >= limit || stamp(first.t).day !== seg.day)) {
      const old = seg;
      seg = null;
      await seal(old);
      head = options.checkpoint?.(first.t, batch) ?? [];
    }
    if (!seg) seg = await create(first.t);
    const events = head.length > 0 ? [...head, ...batch] : batch;
    const parts = events.map(encodeRecord);
    const buf = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    await seg.handle.write(buf);
    if (sync) await seg.handle.datasync();
    seg.idx.size += buf.length;
    seg.idx.count += events.length;
    for (const e of events) {
      if (e.t < seg.idx.from) seg.idx.from = e.t;
      if (e.t > seg.idx.to) seg.idx.to = e.t;
      if (e.kind === 'open' || e.kind === 'close' || e.kind === 'seen') seg.ports.add(e.port);
      else if (e.kind === 'kill') for (const p of e.ports) seg.ports.add(p);
      else seg.idx.marks++;
    }
  };

  // One operation at a time, in call order: a batch never overtakes the one before it.
  const queue = (op: () => Promise<void>): Promise<void> => {
    const next = chain.then(op);
    chain = next.catch(() => undefined);
    return next;
  };

  return {
    append: (events) => queue(() => write(events)),
    close: () =>
      queue(async () => {
        if (!seg) return;
        const s = seg;
        seg = null;
        await seal(s);
      }),
    current: () => seg?.file ?? null,
  };
}
