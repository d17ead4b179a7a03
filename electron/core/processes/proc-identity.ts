import { readFile } from 'node:fs/promises';
import { probeUnix, probeWindows, startIdFromMs } from '../kill/proc-probe';

/**
 * The start identity of a process: what lets us recognise the *same* process again before a
 * signal, so a reused PID is never hit. Linux: field 22 of /proc/<pid>/stat (start time in clock
 * ticks since boot). Elsewhere: the start time the OS reports now (`ps -p`, a CIM query on
 * Windows), in systeminformation's 'started' format — never its process list, which is cached for
 * 500 ms and does not yet hold a process that just started.
 * The process-info cache and the kill engine must both use this function, so identities compare.
 */
export async function readStartId(
  pid: number,
  platform: NodeJS.Platform = process.platform,
): Promise<string | null> {
  if (!Number.isSafeInteger(pid) || pid < 1) return null;
  if (platform === 'linux') {
    try {
      return parseStatStartId(await readFile(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return null;
    }
  }
  const probe = platform === 'win32' ? await probeWindows(pid) : await probeUnix(pid);
  if (!probe) return null;
  return probe.startId ?? startIdFromMs(probe.startedMs);
}

/** Field 22 (starttime) of a /proc/<pid>/stat line. The comm field may hold spaces and ')'. */
export function parseStatStartId(stat: string): string | null {
  const end = stat.lastIndexOf(')');
  if (end < 0) return null;
  // Fields after comm start at field 3 (state); starttime is field 22 → index 19 here.
  const fields = stat.slice(end + 2).split(' ');
  const v = fields[19];
  return v && /^\d+$/.test(v) ? v : null;
}

/** Parent PID (field 4) of a /proc/<pid>/stat line. */
export function parseStatPpid(stat: string): number | null {
  const end = stat.lastIndexOf(')');
  if (end < 0) return null;
  const v = stat.slice(end + 2).split(' ')[1];
  return v && /^\d+$/.test(v) ? Number(v) : null;
}

/** The identity string used on non-Linux platforms, from systeminformation's `started` field. */
export function startIdFromStarted(started: string): string {
  return `s:${started}`;
}
