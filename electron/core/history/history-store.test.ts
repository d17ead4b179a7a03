import {
  appendFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEvent, SocketEvent } from '../../../shared/history';
import { listSegments, readIndex } from './history-files';
import { queryHistory } from './history-query';
import { applyRetention, readHistory, repairHistory } from './history-reader';
import { createHistoryWriter } from './history-writer';
import { crc32, decodeSegment, encodeRecord } from './record-codec';

let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'ps-history-')), 'history');
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10, 12);

function ev(t: number, port: number, kind: SocketEvent['kind'] = 'open', pid = 100): SocketEvent {
  return {
    t,
    kind,
    key: `tcp:c${port}-${pid}`,
    protocol: 'tcp',
    address: '127.0.0.1',
    port,
    service: null,
    process: { pid, startId: 's1', name: 'node', command: 'node server.js', user: 'alice' },
    user: 'alice',
    container: null,
  };
}

async function write(events: HistoryEvent[][], opts: { segmentBytes?: number; now?: () => number } = {}) {
  const w = createHistoryWriter({ dir, startId: null, sync: false, ...opts });
  for (const batch of events) await w.append(batch);
  await w.close();
}

describe('record framing', () => {
  it('computes the IEEE CRC-32 gzip uses', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('reads records back, skips a damaged line, and leaves a torn tail unread', () => {
    const a = encodeRecord({ magic: 'portscope-history', v: 1, pid: 1, startId: null, created: T0 });
    const good = encodeRecord(ev(T0, 80));
    const bad = Buffer.from(encodeRecord(ev(T0, 81)));
    bad[20] = bad[20] === 0x61 ? 0x62 : 0x61; // one flipped byte: the CRC no longer matches
    const torn = encodeRecord(ev(T0, 82)).subarray(0, 30);
    const seg = decodeSegment(Buffer.concat([a, good, bad, good, torn]));
    expect(seg.header?.pid).toBe(1);
    expect(seg.events).toHaveLength(2);
    expect(seg.damaged).toBe(1);
    expect(seg.tornBytes).toBe(30);
  });
});

describe('history store', () => {
  it('writes 0600 files in a 0700 folder, seals with an index, and reads events in time order', async () => {
    await write([[ev(T0 + 2, 80)], [ev(T0 + 1, 443), ev(T0 + 3, 80, 'close')]]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const [seg] = await listSegments(dir);
    expect(statSync(join(dir, seg as string)).mode & 0o777).toBe(0o600);
    const idx = await readIndex(join(dir, seg as string));
    expect(idx).toMatchObject({ count: 3, ports: [80, 443], from: T0 + 1, to: T0 + 3 });
    const read = await readHistory(dir);
    expect(read.events.map((e) => e.t)).toEqual([T0 + 1, T0 + 2, T0 + 3]);
  });

  it('answers a port query without reading segments that never saw the port', async () => {
    await write([[ev(T0, 80)], [ev(T0 + 1, 80)], [ev(T0 + 2, 443)]], { segmentBytes: 1 });
    const segs = await listSegments(dir);
    expect(segs.length).toBe(3);
    // Make the segments without 443 unreadable as history: a query for 443 must not touch them.
    for (const s of segs) {
      const idx = await readIndex(join(dir, s));
      if (!idx?.ports.includes(443)) writeFileSync(join(dir, s), 'not history\n');
    }
    const read = await readHistory(dir, { port: 443 });
    expect(read.foreign).toBe(0);
    expect(read.events.map((e) => (e as SocketEvent).port)).toEqual([443]);
  });

  it('rotates at a new day', async () => {
    await write([[ev(T0, 80)], [ev(T0 + DAY, 80)]]);
    expect((await listSegments(dir)).length).toBe(2);
  });

  it('cuts a torn last record at start and keeps everything before it', async () => {
    const w = createHistoryWriter({ dir, startId: null, sync: false });
    await w.append([ev(T0, 80), ev(T0 + 1, 81)]);
    const file = w.current() as string;
    appendFileSync(file, encodeRecord(ev(T0 + 2, 82)).subarray(0, 17));
    // The writer "died" (another PID wrote the header): pretend by rewriting the header's pid.
    const text = readFileSync(file);
    const body = text.subarray(text.indexOf(0x0a) + 1);
    const header = encodeRecord({
      magic: 'portscope-history',
      v: 1,
      pid: 999_999_999,
      startId: 'x',
      created: T0,
    });
    writeFileSync(file, Buffer.concat([header, body]));
    const report = await repairHistory(dir);
    expect(report.truncated).toEqual([file]);
    const after = decodeSegment(readFileSync(file));
    expect(after.tornBytes).toBe(0);
    expect(after.events).toHaveLength(2);
    expect(await readIndex(file)).toMatchObject({ count: 2, ports: [80, 81] });
  });

  it('keeps a foreign or corrupt file aside, and a symlink too, without blocking the start', async () => {
    await write([[ev(T0, 80)]]);
    writeFileSync(join(dir, 'ph-20260110-120000-1-aaaaaa.log'), 'this is {not} a history file\nat all\n');
    const target = join(dir, '..', 'elsewhere.txt');
    writeFileSync(target, 'secret');
    symlinkSync(target, join(dir, 'ph-20260110-120001-1-bbbbbb.log'));
    mkdirSync(join(dir, 'ph-20260110-120002-1-cccccc.log'));
    const report = await repairHistory(dir, new Date(T0));
    expect(report.keptAside).toHaveLength(3);
    const names = readdirSync(dir);
    expect(names.filter((n) => n.includes('.corrupt-'))).toHaveLength(3);
    // The link was renamed, never followed: its target is untouched.
    expect(readFileSync(target, 'utf8')).toBe('secret');
    expect(
      lstatSync(join(dir, names.find((n) => n.startsWith('ph-20260110-120001')) as string)).isSymbolicLink(),
    ).toBe(true);
    const read = await readHistory(dir);
    expect(read.events).toHaveLength(1);
  });

  it('trims by age, then by size, oldest first', async () => {
    const now = T0 + 40 * DAY;
    for (const age of [35, 20, 10, 1]) {
      await write([[ev(now - age * DAY, 80)]], { now: () => now - age * DAY });
    }
    const removedByAge = await applyRetention(dir, { maxAgeDays: 30, maxBytes: 1e9 }, now);
    expect(removedByAge).toHaveLength(1);
    expect((await readHistory(dir)).events).toHaveLength(3);
    const size = (await listSegments(dir)).reduce((n, s) => n + statSync(join(dir, s)).size, 0);
    // Room for about two of the three: the oldest goes.
    const removedBySize = await applyRetention(
      dir,
      { maxAgeDays: 30, maxBytes: Math.ceil((size * 2) / 3) },
      now,
    );
    expect(removedBySize).toHaveLength(1);
    const left = (await readHistory(dir)).events.map((e) => Math.round((now - e.t) / DAY));
    expect(left).toEqual([10, 1]);
  });

  it('repeats the open sockets at the head of each new segment, so a window reads only what overlaps it', async () => {
    const open = [ev(T0, 5432)];
    const w = createHistoryWriter({
      dir,
      startId: null,
      sync: false,
      segmentBytes: 1,
      checkpoint: (t) => open.map((e) => ({ ...e, t, kind: 'seen' as const })),
    });
    await w.append([{ t: T0, kind: 'start' }, ...open]);
    for (let i = 1; i <= 5; i++)
      await w.append([ev(T0 + i * 3_600_000, 3000 + i), ev(T0 + i * 3_600_000 + 1, 3000 + i, 'close')]);
    await w.close();
    // A window of the last hour: the segments before it are not read, postgres is still found.
    const r = await queryHistory(dir, { from: T0 + 4.5 * 3_600_000, to: T0 + 6 * 3_600_000 });
    const pg = r.ports.find((p) => p.port === 5432);
    expect(pg?.spans).toHaveLength(1);
    expect(pg?.spans[0]).toMatchObject({ fromKind: 'seen', toKind: 'open' });
    expect(r.ports.map((p) => p.port)).toEqual([3005, 5432]);
  });

  it('refuses a history folder that is a symbolic link', async () => {
    const real = join(dir, '..', 'real');
    mkdirSync(real);
    symlinkSync(real, dir);
    const w = createHistoryWriter({ dir, startId: null, sync: false });
    await expect(w.append([ev(T0, 80)])).rejects.toThrow(/not a folder/);
  });
});
