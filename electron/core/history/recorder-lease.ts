import { constants } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { readStartId } from '../processes/proc-identity';
import { readRegular } from './history-files';

/**
 * One recorder per machine user: when the desktop app and `portscope serve` run at once, only one
 * records sockets (two would write every open twice). A lock file names the holder (PID + start
 * identity); a holder that is gone (crashed, SIGKILLed) no longer counts, so the lease is taken over.
 * Kills are recorded by whoever performs them, lease or not.
 */

const LOCK = 'recorder.lock';

async function holderAlive(bytes: Buffer): Promise<boolean> {
  try {
    const h = JSON.parse(bytes.toString('utf8')) as { pid: unknown; startId: unknown };
    if (typeof h.pid !== 'number' || !Number.isSafeInteger(h.pid)) return false;
    if (h.pid === process.pid) return false;
    const now = await readStartId(h.pid);
    return now !== null && now === h.startId;
  } catch {
    return false;
  }
}

/** Take the lease; true when this process now records. */
export async function takeLease(dir: string, startId: string | null): Promise<boolean> {
  const file = path.join(dir, LOCK);
  const body = JSON.stringify({ pid: process.pid, startId });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
      const handle = await open(file, flags, 0o600);
      try {
        await handle.writeFile(body);
      } finally {
        await handle.close();
      }
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const r = await readRegular(file, 4096);
    if (r.kind === 'bytes' && (await holderAlive(r.bytes))) return false;
    // A dead holder's (or an unreadable) lock: remove it and try once more.
    await unlink(file).catch(() => undefined);
  }
  return false;
}

/** Give the lease back (only ours). */
export async function releaseLease(dir: string): Promise<void> {
  const file = path.join(dir, LOCK);
  const r = await readRegular(file, 4096);
  if (r.kind !== 'bytes') return;
  try {
    if ((JSON.parse(r.bytes.toString('utf8')) as { pid: number }).pid !== process.pid) return;
  } catch {
    return;
  }
  await unlink(file).catch(() => undefined);
}
