import { execFile } from 'node:child_process';
import type { ProcessIdentity } from '../../../shared/model';
import { isZombie, readProc } from './proc-table';
import type { CheckedSignal } from './signal';

/**
 * Windows has no SIGTERM. `taskkill /PID n` asks a windowed program to close (WM_CLOSE); a console
 * program refuses that and ends only with `/F` (TerminateProcess), so a graceful attempt on it
 * comes back still running and the caller offers force. One PID per call, never `/T`: taskkill's
 * own tree walk trusts parent PIDs, which Windows never re-parents, so a reused PID's "children"
 * would die too. Our walk (tree.ts) filters those out, and each member is checked before its call.
 * The exit code is not trusted either: the caller verifies the process is really gone.
 */
export async function taskkillChecked(target: ProcessIdentity, force: boolean): Promise<CheckedSignal> {
  const entry = await readProc(target.pid, 'win32');
  if (!entry || isZombie(entry)) return { outcome: 'gone', stopped: false };
  if (entry.startId !== target.startId) return { outcome: 'changed', stopped: false };
  const args = ['/PID', String(target.pid), ...(force ? ['/F'] : [])];
  const { stderr } = await run('taskkill.exe', args);
  // taskkill's messages are localised; English is matched, and the caller verifies exit either way.
  if (/access is denied/i.test(stderr)) return { outcome: 'eperm', stopped: false };
  if (/not found/i.test(stderr)) return { outcome: 'gone', stopped: false };
  return { outcome: 'sent', stopped: false };
}

function run(file: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 15_000, windowsHide: true }, (error, _stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stderr: String(stderr) });
    });
  });
}
