import type { SupervisorRef } from '../../../shared/model';
import type { ProcFiles } from './proc-read';
import { systemdUnitFromCgroup } from './systemd-unit';

/** A supervisor and how to tell it to stop the program (fixed argument lists, validated parts). */
export interface SupervisorControl {
  ref: SupervisorRef;
  /** supervisord: its config file (`-c`), when its command line names one. */
  config?: string | null;
  /** runit: the service directory runsv runs in. */
  dir?: string | null;
}

/** supervisord program and group names as supervisorctl accepts them. */
export const PROGRAM_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
/** An absolute path without anything a command line could misread (no spaces, no leading '-'). */
const SAFE_PATH = /^\/[A-Za-z0-9_./@+-]{0,1000}$/;
/** How far up the process tree a supervisor is looked for (a program run through `sh -c`). */
const MAX_DEPTH = 8;

function envVar(environ: string, key: string): string | null {
  for (const kv of environ.split('\0')) if (kv.startsWith(`${key}=`)) return kv.slice(key.length + 1);
  return null;
}

/** `supervisord -c /etc/x.conf`, `--configuration=/etc/x.conf`: the config file, when safe. */
export function configFromArgv(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const v =
      a === '-c' || a === '--configuration'
        ? argv[i + 1]
        : a.startsWith('--configuration=')
          ? a.slice(16)
          : null;
    if (v) return SAFE_PATH.test(v) ? v : null;
  }
  return null;
}

/**
 * What supervises a process: its systemd service (from the cgroup), else a supervisord program
 * (the environment supervisord gives its children: SUPERVISOR_PROCESS_NAME / _GROUP_NAME, and the
 * config from the supervisord ancestor's command line), else a runit service (a `runsv` ancestor,
 * whose working directory is the service directory). null when nothing does.
 */
export async function supervisorOf(pid: number, proc: ProcFiles): Promise<SupervisorControl | null> {
  const [cgroup, environ] = await Promise.all([proc.cgroup(pid), proc.environ(pid)]);
  const unit = cgroup ? systemdUnitFromCgroup(cgroup) : null;
  // supervisord and runit often run inside a systemd service themselves: the nearer one wins.
  const near = await nearSupervisor(pid, environ, proc);
  if (near) return near;
  return unit ? { ref: unit } : null;
}

async function nearSupervisor(
  pid: number,
  environ: string | null,
  proc: ProcFiles,
): Promise<SupervisorControl | null> {
  const program = environ ? envVar(environ, 'SUPERVISOR_PROCESS_NAME') : null;
  const group = environ ? envVar(environ, 'SUPERVISOR_GROUP_NAME') : null;
  let cur = pid;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const st = await proc.stat(cur);
    if (!st || st.ppid <= 1) break;
    const parent = await proc.stat(st.ppid);
    if (!parent) break;
    if (parent.name === 'supervisord' && program && PROGRAM_NAME.test(program)) {
      const argv = ((await proc.cmdline(st.ppid)) ?? '').split('\0').filter(Boolean);
      const name = group && group !== program && PROGRAM_NAME.test(group) ? `${group}:${program}` : program;
      return { ref: { kind: 'supervisord', name }, config: configFromArgv(argv) };
    }
    if (parent.name === 'runsv') {
      const dir = await proc.cwd(st.ppid);
      const name = dir?.split('/').filter(Boolean).at(-1) ?? '';
      if (dir && SAFE_PATH.test(dir) && PROGRAM_NAME.test(name)) return { ref: { kind: 'runit', name }, dir };
      return null;
    }
    cur = st.ppid;
  }
  return null;
}
