import { execFile } from '../lazy/child-process';

/**
 * Fresh facts about one process outside Linux. systeminformation's process list is cached for
 * 500 ms (processes.js returns the last result when called sooner), which is too old for the check
 * right before a signal; `ps -p <pid>` is asked directly instead. Its start time comes from the
 * elapsed time, like systeminformation's own 'started', so the two are compared with a tolerance
 * (sameStart) rather than for equality.
 */
export interface Probe {
  ppid: number;
  /** First letter of ps STAT ('T' stopped, 'Z' zombie…). */
  state: string;
  startedMs: number;
  name: string;
  /** Windows: the exact systeminformation start id (CreationDate, to the second). */
  startId?: string;
}

/** Parse ps ELAPSED ([[dd-]hh:]mm:ss) into seconds; null when it is not that shape. */
export function parseEtime(text: string): number | null {
  const m = /^(?:(?:(\d+)-)?(\d+):)?(\d+):(\d+)$/.exec(text.trim());
  if (!m) return null;
  const [, d = '0', h = '0', mi = '0', s = '0'] = m;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(mi)) * 60 + Number(s);
}

/** One `ps -o ppid=,stat=,etime=,comm= -p <pid>` line → Probe; null for anything else. */
export function parsePsLine(line: string, now: number): Probe | null {
  const m = /^\s*(\d+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line);
  if (!m) return null;
  const secs = parseEtime(m[3] as string);
  if (secs === null) return null;
  return {
    ppid: Number(m[1]),
    state: (m[2] as string).charAt(0),
    startedMs: now - secs * 1000,
    name: (m[4] as string).trim(),
  };
}

/** Every process as `ps -A` sees it now: the parent links a tree walk needs, never a cached list. */
export function listUnixPs(): Promise<(Probe & { pid: number })[]> {
  return new Promise((resolve) => {
    execFile(
      'ps',
      ['-A', '-o', 'pid=,ppid=,stat=,etime=,comm='],
      { timeout: 10_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        if (error) return resolve([]);
        const now = Date.now();
        const out: (Probe & { pid: number })[] = [];
        for (const line of stdout.split('\n')) {
          const m = /^\s*(\d+)\s+(.*)$/.exec(line);
          const probe = m ? parsePsLine(m[2] as string, now) : null;
          if (m && probe) out.push({ pid: Number(m[1]), ...probe });
        }
        resolve(out);
      },
    );
  });
}

/** Ask ps about one PID now; null when it has no such process (ps exits 1). */
export function probeUnix(pid: number): Promise<Probe | null> {
  return new Promise((resolve) => {
    execFile(
      'ps',
      ['-o', 'ppid=,stat=,etime=,comm=', '-p', String(pid)],
      { timeout: 5000 },
      (error, stdout) => {
        if (error) return resolve(null);
        resolve(parsePsLine(stdout.split('\n')[0] ?? '', Date.now()));
      },
    );
  });
}

/**
 * Ask Windows about one PID now (CIM, as systeminformation does, with the same date format so
 * start ids compare exactly). PowerShell parses its -Command text, so only the digits of a
 * validated PID are put into it.
 */
export function probeWindows(pid: number): Promise<Probe | null> {
  const digits = String(pid);
  if (!Number.isSafeInteger(pid) || pid < 1 || !/^\d+$/.test(digits)) return Promise.resolve(null);
  const script = `$p = Get-CimInstance Win32_Process -Filter "ProcessId=${digits}"; if ($p) { "$($p.ParentProcessId)|$($p.CreationDate.ToString('yyyy-MM-dd HH:mm:ss'))|$($p.Name)" }`;
  return new Promise((resolve) => {
    execFile(
      'powershell.exe',
      ['-NoProfile', '-NonInteractive', '-Command', script],
      { timeout: 15_000, windowsHide: true },
      (error, stdout) => {
        const m = /^(\d+)\|(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\|(.*)$/m.exec(String(stdout).trim());
        if (error || !m) return resolve(null);
        const startId = `s:${m[2]}`;
        resolve({
          ppid: Number(m[1]),
          state: '',
          startedMs: startIdMs(startId) ?? 0,
          name: (m[3] as string).trim(),
          startId,
        });
      },
    );
  });
}

/** ms since epoch of a systeminformation start id ('s:YYYY-MM-DD HH:MM:SS', local time). */
export function startIdMs(startId: string): number | null {
  const m = /^s:(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(startId);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(y as number, (mo as number) - 1, d, h, mi, s).getTime();
}

/** The start id systeminformation would give a process that started at `ms` (local time, seconds). */
export function startIdFromMs(ms: number): string {
  const t = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `s:${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}`;
}

/**
 * Whether two start ids name the same process. Linux (/proc ticks) and Windows (CreationDate) are
 * exact. Elsewhere both sides derive the start from elapsed seconds at different instants, so
 * they may differ by a second or two; a PID reused within that window would need ~100 000 forks.
 */
export function sameStart(a: string, b: string, platform: NodeJS.Platform): boolean {
  if (a === b) return true;
  if (platform === 'linux' || platform === 'win32') return false;
  const x = startIdMs(a);
  const y = startIdMs(b);
  return x !== null && y !== null && Math.abs(x - y) <= 2000;
}
