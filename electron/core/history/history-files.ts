import { constants } from 'node:fs';
import { chmod, type FileHandle, lstat, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * The history folder's files, opened without trusting what sits at their paths (like the settings
 * file, electron/core/settings/settings-file.ts): the folder is 0700 and never a link, files are
 * 0600, opened with O_NOFOLLOW and checked to be regular files before they are read.
 */

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/** Segments: `ph-<yyyymmdd>-<hhmmss>-<pid>-<rand>.log`; their index beside them as `.idx`. */
export const SEGMENT_RE = /^ph-(\d{8})-(\d{6})-(\d+)-([0-9a-f]{6})\.log$/;

/** Largest segment read back (writers rotate far below this). */
export const MAX_SEGMENT_READ = 64 * 1024 * 1024;

/** What the index says about a sealed segment, so a query can skip it unread. */
export interface SegmentIndex {
  v: 1;
  from: number;
  to: number;
  count: number;
  size: number;
  /** Recorder start/stop marks in it: a port query reads such a segment even without its port. */
  marks: number;
  ports: number[];
}

/** Make sure the history folder exists, is a real folder (not a link) and is ours alone (0700). */
export async function ensureHistoryDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  if (st.isSymbolicLink() || !st.isDirectory()) {
    throw new Error(`The history folder ${dir} is not a folder (a link or a file is there).`);
  }
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) await chmod(dir, 0o700);
}

/** The segment files in the folder, oldest name first (names start with the creation time). */
export async function listSegments(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names.filter((n) => SEGMENT_RE.test(n)).sort();
}

export type SafeRead =
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'missing' }
  | { kind: 'refused'; why: string };

/** Read a whole file: a regular file no larger than `max`, never through a link, never blocking. */
export async function readRegular(file: string, max = MAX_SEGMENT_READ): Promise<SafeRead> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP' || code === 'EMLINK') return { kind: 'refused', why: 'a symbolic link' };
    return { kind: 'refused', why: code ?? 'unreadable' };
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { kind: 'refused', why: 'not a regular file' };
    if (st.size > max) return { kind: 'refused', why: `larger than ${max} bytes` };
    const bytes = Buffer.alloc(st.size);
    let n = 0;
    while (n < bytes.length) {
      const { bytesRead } = await handle.read(bytes, n, bytes.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    return { kind: 'bytes', bytes: bytes.subarray(0, n) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** A sealed segment's index never changes: the app's repeated queries read each one once. */
const indexCache = new Map<string, SegmentIndex>();

/** The sealed segment's index, or null when there is none (still written, or a writer died). */
export async function readIndex(segment: string): Promise<SegmentIndex | null> {
  const hit = indexCache.get(segment);
  if (hit) return hit;
  const r = await readRegular(`${segment.slice(0, -4)}.idx`, 1024 * 1024);
  if (r.kind !== 'bytes') return null;
  try {
    const idx = JSON.parse(r.bytes.toString('utf8')) as SegmentIndex;
    if (idx.v !== 1 || typeof idx.from !== 'number' || !Array.isArray(idx.ports)) return null;
    if (indexCache.size > 20_000) indexCache.clear();
    indexCache.set(segment, idx);
    return idx;
  } catch {
    return null;
  }
}

/** Every segment's index, read a few at a time (hundreds of small files: the thread pool reads them in parallel). */
export async function readIndexes(files: readonly string[]): Promise<(SegmentIndex | null)[]> {
  const out: (SegmentIndex | null)[] = new Array(files.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      out[i] = await readIndex(files[i] as string);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, files.length) }, worker));
  return out;
}

/** Write a segment's index atomically (temp file, fsync, rename), 0600. */
export async function writeIndex(segment: string, idx: SegmentIndex): Promise<void> {
  const target = `${segment.slice(0, -4)}.idx`;
  const tmp = `${target}.${process.pid}.tmp`;
  const handle = await open(
    tmp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | NOFOLLOW,
    0o600,
  );
  try {
    await handle.writeFile(JSON.stringify(idx));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, target);
}

/** Remove a segment and its index (retention). */
export async function removeSegment(segment: string): Promise<void> {
  indexCache.delete(segment);
  for (const f of [`${segment.slice(0, -4)}.idx`, segment]) {
    await unlink(f).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
}

/** Keep a damaged or foreign file aside (`<name>.corrupt-<time>`), renamed: nothing opened, nothing lost. */
export async function keepAside(file: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let n = 0; n <= 100; n++) {
    const target = `${file}.corrupt-${stamp}${n ? `-${n}` : ''}`;
    const taken = await lstat(target).then(
      () => true,
      (e: NodeJS.ErrnoException) => e.code !== 'ENOENT',
    );
    if (taken) continue;
    await rename(file, target);
    await unlink(`${file.slice(0, -4)}.idx`).catch(() => undefined);
    return target;
  }
  throw new Error('too many earlier copies');
}

/** fsync a folder so a new or renamed name in it survives power loss (a no-op where unsupported). */
export async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch {
    // Windows cannot open a folder; its metadata journal covers the rename.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** `name` in `dir` (one place that joins, so a segment name is never a path). */
export function inDir(dir: string, name: string): string {
  return path.join(dir, path.basename(name));
}
