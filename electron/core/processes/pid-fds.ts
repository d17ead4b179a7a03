import { openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync } from 'node:fs';
import { parseStatPpid } from './proc-identity';

/** What one process's fd table told us: fd name → socket inode (0 for an fd that is no socket). */
export interface PidFds {
  fds: Map<string, number>;
  /** `stat(/proc/<pid>/fd).size` when last read: the open fd count on Linux ≥ 6.2. */
  count: number;
  /** Parent PID, read once when first needed (ordering holders parent before child). */
  ppid?: number | null;
}

/**
 * Read a process's fd table. With `known`, only fd names not seen before are readlink'ed: a
 * server with 3,000 listeners that accepted one connection costs one readdir and one readlink,
 * not 3,000 (a reused fd number is caught by the round-robin full re-read). Null when the process
 * is gone or not ours to read.
 */
export function readPidFds(procRoot: string, pid: number, known?: PidFds): PidFds | null {
  const dir = `${procRoot}/${pid}/fd`;
  // The size before the read: a change after it shows as a difference on the next poll.
  const count = fdCount(procRoot, pid);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  const fds = new Map<string, number>();
  for (const name of names) {
    const cached = known?.fds.get(name);
    // Only a socket is trusted from the cache: a file's fd number is often reused for the socket
    // the process opens next (python opens and closes its sources, then binds on fd 3).
    if (cached !== undefined && cached !== 0) {
      fds.set(name, cached);
      continue;
    }
    let link: string;
    try {
      link = readlinkSync(`${dir}/${name}`);
    } catch {
      continue; // closed while we looked
    }
    fds.set(name, socketInodeOf(link));
  }
  return { fds, count: count ?? -1, ppid: known?.ppid };
}

/** The inode an fd link names when it is a socket ("socket:[12345]"), else 0. */
export function socketInodeOf(link: string): number {
  return link.charCodeAt(0) === 115 && link.startsWith('socket:[') ? Number(link.slice(8, -1)) : 0;
}

/**
 * The fd count of a process without reading its table: the size the kernel reports for
 * /proc/<pid>/fd (Linux ≥ 6.2; older kernels and other /proc shapes report something else that
 * still changes with the table on tmpfs, or 0, which only makes this check weaker). Null when gone.
 */
export function fdCount(procRoot: string, pid: number): number | null {
  try {
    return statSync(`${procRoot}/${pid}/fd`).size;
  } catch {
    return null;
  }
}

/** /proc/loadavg, kept open (null: unusable here); re-read at offset 0, one pread per poll. */
let loadavg: number | null | undefined;
const loadavgText = Buffer.alloc(128);

/**
 * The last field of /proc/loadavg's text when it is a PID; null for anything else (gVisor prints
 * a constant 0 there, which would make every poll look like one with no new process).
 */
export function lastPidOf(line: string): string | null {
  const text = line.trimEnd();
  const last = text.slice(text.lastIndexOf(' ') + 1);
  return /^[1-9]\d*$/.test(last) ? last : null;
}

/**
 * The PID the kernel handed out last in this PID namespace (the last field of /proc/loadavg), as
 * text: every process or thread created moves it, so while it stays put no process is new and an
 * idle poll need not list /proc. Null when it cannot vouch for `procRoot`'s listing: another root,
 * or a /proc mounted for another PID namespace (its /proc/self is not this process).
 * Also null when the field is not a PID (lastPidOf): callers then list /proc as without a stamp.
 */
export function lastPidCreated(procRoot: string): string | null {
  if (procRoot !== '/proc') return null;
  try {
    if (loadavg === undefined) {
      loadavg = null;
      if (readlinkSync('/proc/self') === String(process.pid)) loadavg = openSync('/proc/loadavg', 'r');
    }
    if (loadavg === null) return null;
    const n = readSync(loadavg, loadavgText, 0, loadavgText.length, 0);
    return lastPidOf(loadavgText.toString('latin1', 0, n));
  } catch {
    return null;
  }
}

/** Parent PID from /proc/<pid>/stat; null when unreadable. */
export function readPpid(procRoot: string, pid: number): number | null {
  try {
    return parseStatPpid(readFileSync(`${procRoot}/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}
