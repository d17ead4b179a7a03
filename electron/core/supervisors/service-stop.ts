import { execFile } from 'node:child_process';
import type { Protocol, ServiceStopResult, SocketRow, SupervisorRef } from '../../../shared/model';
import { holdsPort, supervisorText } from '../../../shared/socket-rules';
import type { ElevationRunner } from '../kill/types';
import { findOnPath } from '../sources/which';
import { type ProcFiles, procFiles } from './proc-read';
import { PROGRAM_NAME, type SupervisorControl, supervisorOf } from './supervisor-of';
import { UNIT_NAME } from './systemd-unit';

/** Stop the service that keeps restarting a port's holder: the one the user was shown. */
export interface ServiceStopRequest {
  port: number;
  protocol: Protocol | null;
  supervisor: SupervisorRef;
  elevate: boolean;
}

export interface ServiceStopDeps {
  collect: () => Promise<SocketRow[]>;
  runner?: ElevationRunner;
  proc?: ProcFiles;
  /** Runs a fixed command without a shell (default execFile with a 30 s time-out). */
  exec?: (file: string, args: string[]) => Promise<{ code: number | null; stderr: string }>;
  /** How long the port is watched for after the stop command (default 5 s). */
  settleMs?: number;
}

/**
 * The fixed command that stops a supervised program, or null when there is none we trust:
 * `systemctl [--user] stop -- <unit>`, `supervisorctl [-c <conf>] stop <program>`, `sv down <dir>`.
 * Every variable part is validated by a strict pattern; a plain parent has no such command.
 */
export function stopCommand(c: SupervisorControl): { file: string; args: string[] } | null {
  const { ref } = c;
  if (ref.kind === 'systemd' && UNIT_NAME.test(ref.name))
    return { file: 'systemctl', args: [...(ref.scope === 'user' ? ['--user'] : []), 'stop', '--', ref.name] };
  if (ref.kind === 'supervisord' && ref.name.split(':').every((p) => PROGRAM_NAME.test(p)))
    return { file: 'supervisorctl', args: [...(c.config ? ['-c', c.config] : []), 'stop', ref.name] };
  if (ref.kind === 'runit' && c.dir && c.dir.startsWith('/')) return { file: 'sv', args: ['down', c.dir] };
  return null;
}

/**
 * Stop service: the port's current holders are read again, and only a holder that the named
 * supervisor really runs now decides the command (re-derived from /proc, never from the request).
 * Then the command, elevated when asked, and the kernel is asked whether the port is free.
 */
export async function stopService(
  req: ServiceStopRequest,
  deps: ServiceStopDeps,
): Promise<ServiceStopResult> {
  const proc = deps.proc ?? procFiles();
  const label = supervisorText(req.supervisor);
  const rows = await deps.collect();
  const holders = rows.filter((r) => holdsPort(r, req.port, req.protocol)).flatMap((r) => r.owners);
  let control: SupervisorControl | null = null;
  for (const h of holders) {
    const c = await supervisorOf(h.pid, proc);
    if (c && c.ref.kind === req.supervisor.kind && c.ref.name === req.supervisor.name) {
      control = c;
      break;
    }
  }
  const res = (outcome: ServiceStopResult['outcome'], message: string): ServiceStopResult => ({
    outcome,
    supervisor: control?.ref ?? req.supervisor,
    message,
  });
  if (!control)
    return res('changed', `Port ${req.port} is no longer held by a program of ${label}; nothing was done.`);
  const cmd = stopCommand(control);
  if (!cmd) return res('refused', `Portscope has no safe way to stop ${label}; nothing was done.`);

  let ran: { code: number | null; stderr: string; cancelled?: boolean };
  // pkexec gets the tool's absolute path, so the user's PATH cannot swap it.
  const abs = findOnPath(cmd.file);
  if (req.elevate && deps.runner && abs) ran = await deps.runner('pkexec', [abs, ...cmd.args]);
  else ran = await (deps.exec ?? run)(cmd.file, cmd.args);
  if (ran.cancelled)
    return res('elevation-cancelled', 'The administrator prompt was cancelled; nothing was done.');
  if (ran.code !== 0)
    return res(
      'failed',
      `${cmd.file} could not stop ${label}: ${ran.stderr.trim().slice(0, 200) || `exit ${ran.code}`}.`,
    );

  const settle = deps.settleMs ?? 5000;
  for (let waited = 0; ; waited += 200) {
    const now = await deps.collect();
    if (!now.some((r) => holdsPort(r, req.port, req.protocol)))
      return res('stopped', `Stopped ${label}; port ${req.port} is free.`);
    if (waited >= settle) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return res('still-held', `Stopped ${label}, but port ${req.port} is still held.`);
}

function run(file: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 30_000 }, (err, _stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code: err && code === 0 ? 1 : code, stderr: err && !stderr ? err.message : String(stderr) });
    });
  });
}
