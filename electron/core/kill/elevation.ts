import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ElevationRunner } from './types';

/** The kill binary pkexec runs: an absolute path, so the user's PATH cannot swap it. */
export const LINUX_KILL_BIN = existsSync('/usr/bin/kill') ? '/usr/bin/kill' : '/bin/kill';

/** A PID as text for an elevated command line: digits only, or we throw. Nothing else gets in. */
function pidText(pid: number): string {
  const text = String(pid);
  if (!Number.isSafeInteger(pid) || pid <= 1 || !/^\d+$/.test(text))
    throw new Error(`invalid PID for elevation: ${text}`);
  return text;
}

/**
 * The fixed command that sends `signal` to `pids` with administrator rights. Built only from
 * validated integers and constants: no process name, command line or user text ever reaches it.
 * macOS's `do shell script` and PowerShell's -Command do parse their text, which is why every
 * PID passes `pidText` (digits only) first.
 */
export function elevationCommand(
  platform: NodeJS.Platform,
  signal: 'TERM' | 'KILL',
  pids: readonly number[],
): { file: string; args: string[] } {
  if (pids.length === 0) throw new Error('no PID to signal');
  const list = pids.map(pidText);
  if (platform === 'win32') {
    const taskArgs = [...list.flatMap((p) => ['/PID', p]), ...(signal === 'KILL' ? ['/F'] : [])].join(' ');
    const script = `$p = Start-Process -FilePath taskkill.exe -Verb RunAs -Wait -PassThru -WindowStyle Hidden -ArgumentList '${taskArgs}'; exit $p.ExitCode`;
    return { file: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', script] };
  }
  if (platform === 'darwin') {
    const script = `do shell script "/bin/kill -${signal} ${list.join(' ')}" with administrator privileges`;
    return { file: '/usr/bin/osascript', args: ['-e', script] };
  }
  return { file: 'pkexec', args: [LINUX_KILL_BIN, '-s', signal, '--', ...list] };
}

/** True when the prompt was dismissed or the user is not authorised, from how the command ended. */
export function wasCancelled(platform: NodeJS.Platform, code: number | null, stderr: string): boolean {
  if (platform === 'win32') return /cancel/i.test(stderr);
  if (platform === 'darwin') return /-128|cancel/i.test(stderr);
  // pkexec: 126 = the authentication dialog was dismissed, 127 = not authorised.
  return code === 126 || code === 127;
}

/** The default runner: execFile (never a shell), with a generous timeout for a person to answer. */
export function defaultElevationRunner(platform: NodeJS.Platform): ElevationRunner {
  return (file, args) =>
    new Promise((resolve) => {
      execFile(file, args, { timeout: 5 * 60_000, windowsHide: true }, (error, _stdout, stderr) => {
        const err = error as (NodeJS.ErrnoException & { code?: number | string }) | null;
        if (err && err.code === 'ENOENT') {
          resolve({ code: null, cancelled: false, stderr: `${file} is not installed` });
          return;
        }
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, cancelled: wasCancelled(platform, code, String(stderr)), stderr: String(stderr) });
      });
    });
}
