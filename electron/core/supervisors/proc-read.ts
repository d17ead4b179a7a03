import { readdir, readFile, readlink } from 'node:fs/promises';

/** Small /proc reads the supervisor detection needs; every one may fail (the process exited). */
export interface ProcFiles {
  cgroup(pid: number): Promise<string | null>;
  /** NUL-separated environment (readable as root or the same user). */
  environ(pid: number): Promise<string | null>;
  /** argv, NUL-separated. */
  cmdline(pid: number): Promise<string | null>;
  cwd(pid: number): Promise<string | null>;
  /** comm and ppid from /proc/<pid>/stat. */
  stat(pid: number): Promise<{ name: string; ppid: number } | null>;
  /** PIDs whose parent is `pid` (a scan of /proc: this kernel may lack /proc/<pid>/task/<tid>/children). */
  children(pid: number): Promise<number[]>;
}

/** The real /proc (or another root: tests point it at recorded files). */
export function procFiles(root = '/proc'): ProcFiles {
  const read = (pid: number, file: string) => readFile(`${root}/${pid}/${file}`, 'utf8').catch(() => null);
  const files: ProcFiles = {
    cgroup: (pid) => read(pid, 'cgroup'),
    environ: (pid) => read(pid, 'environ'),
    cmdline: (pid) => read(pid, 'cmdline'),
    cwd: (pid) => readlink(`${root}/${pid}/cwd`).catch(() => null),
    async stat(pid) {
      const text = await read(pid, 'stat');
      if (!text) return null;
      const open = text.indexOf('(');
      const close = text.lastIndexOf(')');
      if (open < 0 || close < open) return null;
      const ppid = Number(text.slice(close + 2).split(' ')[1]);
      return Number.isSafeInteger(ppid) ? { name: text.slice(open + 1, close), ppid } : null;
    },
    async children(pid) {
      const pids = (await readdir(root).catch(() => [] as string[]))
        .filter((d) => /^\d+$/.test(d))
        .map(Number);
      const stats = await Promise.all(pids.map(async (p) => ({ p, st: await files.stat(p) })));
      return stats.filter((x) => x.st?.ppid === pid).map((x) => x.p);
    },
  };
  return files;
}
