import { execFileSync, spawnSync } from 'node:child_process';
import { findOnPath } from '../../electron/core/sources/which';

/**
 * Run this bench inside a private network namespace when possible (root + `unshare`): the All
 * view then holds only the load's sockets, not whatever else the machine is doing (other test
 * suites opening and closing thousands of connections would make "idle" a churn). Returns true
 * when the caller is the outer process and the bench already ran inside (exit with its code);
 * false when the caller is inside (or no namespace is possible: measured on the shared stack).
 */
export function reexecInNetns(): { ranInside: boolean; code: number; note: string } {
  if (process.env.PORTSCOPE_BENCH_NETNS === '1') {
    execFileSync('ip', ['link', 'set', 'lo', 'up']);
    return { ranInside: false, code: 0, note: 'in a private network namespace (only the load is there)' };
  }
  if (process.getuid?.() !== 0 || !findOnPath('unshare') || !findOnPath('ip') || process.env.BENCH_NO_NETNS)
    return {
      ranInside: false,
      code: 0,
      note: "on the machine's own network stack (other sockets count too)",
    };
  const r = spawnSync(
    'unshare',
    ['-n', '--', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, PORTSCOPE_BENCH_NETNS: '1' },
    },
  );
  return { ranInside: true, code: r.status ?? 1, note: '' };
}
