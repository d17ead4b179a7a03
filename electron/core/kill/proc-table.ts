import { readdir, readFile } from 'node:fs/promises';
import { loadSi } from '../lazy/systeminformation';
import { parseStatPpid, parseStatStartId, startIdFromStarted } from '../processes/proc-identity';
import { listUnixPs, probeUnix, probeWindows, sameStart, startIdFromMs } from './proc-probe';

/** What the kill engine needs to know about one process, read fresh from the OS. */
export interface ProcEntry {
  pid: number;
  ppid: number | null;
  name: string;
  command: string;
  /** Same format as ProcessInfo.startId (readStartId), so identities compare. */
  startId: string;
  /**
   * Linux: the thread-group leader is a zombie but other threads are still exiting. The files
   * (and so the sockets) close only when the last thread is gone, so this is not "exited" yet.
   */
  lingering?: boolean;
  /** True for a kernel thread (Linux PF_KTHREAD): signals cannot end it. */
  kernel?: boolean;
  /** Linux /proc state letter ('R', 'S', 'T' stopped, 't' traced, 'Z' zombie…); '' when unknown. */
  state: string;
  /** Owner user name, when read with details. */
  user?: string;
  /** Start time in ms since the epoch, when read with details. */
  startTime?: number;
}

/** Parse one /proc/<pid>/stat line (comm may contain spaces and ')'). */
export function parseStat(pid: number, stat: string): ProcEntry | null {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  const startId = parseStatStartId(stat);
  if (open < 0 || close < open || startId === null) return null;
  return {
    pid,
    ppid: parseStatPpid(stat),
    name: stat.slice(open + 1, close),
    command: '',
    startId,
    state: stat.slice(close + 2, close + 3),
    kernel: isKernelThread(stat.slice(close + 2).split(' ')[6]),
  };
}

/** PF_KTHREAD in the flags field (9) of /proc/<pid>/stat. */
const PF_KTHREAD = 0x00200000;

function isKernelThread(flags: string | undefined): boolean {
  return flags !== undefined && /^\d+$/.test(flags) && (Number(flags) & PF_KTHREAD) !== 0;
}

async function readLinuxEntry(pid: number, withCommand: boolean): Promise<ProcEntry | null> {
  try {
    const entry = parseStat(pid, await readFile(`/proc/${pid}/stat`, 'utf8'));
    if (entry && (entry.state === 'Z' || entry.state === 'X')) {
      const tasks = await readdir(`/proc/${pid}/task`).catch(() => []);
      entry.lingering = tasks.length > 1;
    }
    if (entry && withCommand) {
      const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      entry.command = raw.replace(/\0+$/, '').split('\0').join(' ') || `[${entry.name}]`;
      entry.user = await linuxUser(pid);
      entry.startTime = await linuxStartTime(entry.startId);
    }
    return entry;
  } catch {
    return null; // gone (ENOENT/ESRCH) or unreadable: either way not a process we can act on
  }
}

let users: Promise<Map<string, string>> | null = null;

/** Owner of /proc/<pid>: the real uid from status, named through /etc/passwd (read once). */
async function linuxUser(pid: number): Promise<string> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
  if (uid === undefined) return '';
  users ??= readFile('/etc/passwd', 'utf8')
    .then(
      (t) =>
        new Map(
          t
            .split('\n')
            .map((l) => l.split(':'))
            .map((f) => [f[2] ?? '', f[0] ?? '']),
        ),
    )
    .catch(() => new Map());
  return (await users).get(uid) || uid;
}

/** Start time in ms: boot time (btime in /proc/stat) plus start ticks at USER_HZ, 100 on Linux. */
async function linuxStartTime(startId: string): Promise<number> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => '');
  const btime = /^btime\s+(\d+)/m.exec(stat)?.[1];
  return btime ? Number(btime) * 1000 + Number(startId) * 10 : 0;
}

async function listSi(): Promise<ProcEntry[]> {
  const data = await (await loadSi()).processes();
  return data.list.map((p) => ({
    pid: p.pid,
    ppid: Number.isSafeInteger(p.parentPid) ? p.parentPid : null,
    name: p.name,
    command: [p.command, p.params].filter(Boolean).join(' '),
    startId: startIdFromStarted(p.started),
    // systeminformation says 'stopped' for a stopped process; map it to the /proc letter.
    state: p.state === 'stopped' ? 'T' : p.state === 'zombie' ? 'Z' : '',
    user: p.user,
    startTime: Date.parse(p.started) || 0,
  }));
}

/**
 * One process, read now. Linux reads /proc (one file per signal check keeps the check-to-signal
 * gap tiny); elsewhere `ps -p` / a CIM query for that PID (never only systeminformation's list,
 * which may be 500 ms old), in the start-id format readStartId uses so identities compare.
 */
export async function readProc(
  pid: number,
  platform: NodeJS.Platform,
  withCommand = false,
): Promise<ProcEntry | null> {
  if (!Number.isSafeInteger(pid) || pid < 1) return null;
  if (platform === 'linux') return readLinuxEntry(pid, withCommand);
  // Existence, parent, name, state and start asked now (ps / CIM); command and user from the
  // (possibly cached) list only when that list still describes the same process.
  const fresh = platform === 'win32' ? await probeWindows(pid) : await probeUnix(pid);
  if (!fresh) return null;
  const freshId = fresh.startId ?? startIdFromMs(fresh.startedMs);
  const listed = (await listSi()).find((p) => p.pid === pid);
  const same = listed !== undefined && sameStart(listed.startId, freshId, platform);
  return {
    pid,
    ppid: fresh.ppid,
    name: fresh.name || listed?.name || '',
    command: same ? listed.command : '',
    startId: same ? listed.startId : freshId,
    state: fresh.state === 'T' || fresh.state === 'Z' ? fresh.state : '',
    user: same ? listed.user : undefined,
    startTime: fresh.startedMs,
  };
}

/** Every process (for the descendant walk and the ancestor check). */
export async function listProcs(platform: NodeJS.Platform): Promise<ProcEntry[]> {
  if (platform === 'win32') return listSi();
  if (platform !== 'linux') return listPs();
  const names = await readdir('/proc');
  const pids = names.filter((n) => /^\d+$/.test(n)).map(Number);
  const entries = await Promise.all(pids.map((pid) => readLinuxEntry(pid, true)));
  return entries.filter((e): e is ProcEntry => e !== null);
}

/**
 * macOS and other Unixes: the tree from a fresh `ps -A` (systeminformation's list may be 500 ms
 * old and miss a child that just started), with command and user from that list where it
 * describes the same process.
 */
async function listPs(): Promise<ProcEntry[]> {
  const [ps, listed] = await Promise.all([listUnixPs(), listSi()]);
  const byPid = new Map(listed.map((p) => [p.pid, p]));
  return ps.map((p) => {
    const startId = startIdFromMs(p.startedMs);
    const l = byPid.get(p.pid);
    const same = l !== undefined && sameStart(l.startId, startId, 'darwin');
    return {
      pid: p.pid,
      ppid: p.ppid,
      name: same ? l.name : p.name,
      command: same ? l.command : p.name,
      startId: same ? l.startId : startId,
      state: p.state === 'T' || p.state === 'Z' ? p.state : '',
      user: same ? l.user : undefined,
      startTime: p.startedMs,
    };
  });
}

/** True when the entry is a zombie: every thread has exited and it only waits to be reaped. */
export function isZombie(entry: ProcEntry | null): boolean {
  return (entry?.state === 'Z' || entry?.state === 'X') && entry.lingering !== true;
}
