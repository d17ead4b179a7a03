import { constants } from 'node:fs';
import { type FileHandle, lstat, open, rename } from 'node:fs/promises';

/**
 * Reading and keeping aside the settings file without trusting what sits at its path. A FIFO there
 * would block a plain read forever (before the server even listens), a symlink to /dev/zero would
 * read without end, a huge file would be parsed whole: so the file is opened non-blocking without
 * following a link, checked to be a regular file of sane size, and read up to that size only.
 */

/** Largest settings file read (a real one is well under 1 KiB). */
export const MAX_SETTINGS_BYTES = 1024 * 1024;

// Windows has neither flag (and no FIFOs or symlink tricks of this kind); 0 leaves them out there.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

export type SettingsRead =
  | { kind: 'text'; bytes: Buffer }
  | { kind: 'missing' }
  /** Something other than a small regular file: treated like a corrupt file. */
  | { kind: 'refused'; why: string }
  | { kind: 'error'; code: string };

/** What an fstat says the path is, in words for the notice. */
function kindOf(st: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Read the settings file: a regular file of at most MAX_SETTINGS_BYTES, never a link, never blocking. */
export async function readSettingsFile(file: string, maxBytes = MAX_SETTINGS_BYTES): Promise<SettingsRead> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | NONBLOCK | NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    if (code === 'ENOENT') return { kind: 'missing' };
    // O_NOFOLLOW on a symlink fails with ELOOP (EMLINK on some BSDs).
    if (code === 'ELOOP' || code === 'EMLINK') return { kind: 'refused', why: 'it is a symbolic link' };
    // Windows (and some systems) refuse to open a directory at all.
    if (code === 'EISDIR') return { kind: 'refused', why: 'it is a directory' };
    return { kind: 'error', code };
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { kind: 'refused', why: `it is ${kindOf(st)}` };
    if (st.size > maxBytes) {
      return { kind: 'refused', why: `it is larger than ${maxBytes} bytes (${st.size})` };
    }
    // Read one byte past the cap, so a file that grew after the fstat is caught, not cut.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) return { kind: 'refused', why: `it is larger than ${maxBytes} bytes` };
    return { kind: 'text', bytes: buffer.subarray(0, length) };
  } catch (error) {
    return { kind: 'error', code: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** `<file>.corrupt-<timestamp>[-n]`: the names tried, in order, for a kept-aside copy. */
function* asideNames(file: string, now: Date): Generator<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let n = 0; n <= 100; n++) yield `${file}.corrupt-${stamp}${n ? `-${n}` : ''}`;
}

/**
 * Write the bytes that were read to a fresh backup file: created exclusively (a file or a link
 * already at that name is never opened, let alone followed), mode 0600 whatever the original's.
 */
export async function writeBackup(file: string, bytes: Buffer, now: Date): Promise<string> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW;
  for (const target of asideNames(file, now)) {
    let handle: FileHandle;
    try {
      handle = await open(target, flags, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return target;
  }
  throw new Error('too many earlier copies');
}

/**
 * Move whatever sits at the path (FIFO, link, directory, huge file) aside by renaming it: rename
 * acts on the name, so nothing is opened, read or followed, and nothing is lost.
 */
export async function moveAside(file: string, now: Date): Promise<string> {
  for (const target of asideNames(file, now)) {
    const taken = await lstat(target).then(
      () => true,
      (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
    );
    if (taken) continue;
    await rename(file, target);
    return target;
  }
  throw new Error('too many earlier copies');
}
