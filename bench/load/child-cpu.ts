import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux Node runs on). */
const HZ = 100;

/** CPU time (ms) of this process's waited-for children so far: cutime + cstime of /proc/self/stat. */
function childrenCpuMs(): { user: number; system: number } {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "(comm) ": state is field 3, so cutime (16) and cstime (17) are indexes 13 and 14 here.
  return { user: (Number(f[13]) * 1000) / HZ, system: (Number(f[14]) * 1000) / HZ };
}

/**
 * Average CPU (user + system, ms) one run of a tool costs, over `runs` runs: what a monitor that
 * spawned it every tick would pay (the kernel's share of producing the answer included).
 */
export async function toolCpuMs(
  cmd: string,
  args: string[],
  runs: number,
): Promise<{ user: number; system: number }> {
  const before = childrenCpuMs();
  for (let i = 0; i < runs; i++) await run(cmd, args, { maxBuffer: 1 << 28 });
  const after = childrenCpuMs();
  return { user: (after.user - before.user) / runs, system: (after.system - before.system) / runs };
}
