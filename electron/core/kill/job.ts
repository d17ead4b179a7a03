import type { KillResult } from '../../../shared/model';
import { goneMessage, label, portList, result, seconds, treeNote } from './messages';
import { type PortRef, portsStillHeld } from './ports';
import type { ProcEntry } from './proc-table';

/** One resolved kill: who (root first, then descendants top-down), how hard, how long to wait. */
export interface KillJob {
  members: ProcEntry[];
  force: boolean;
  graceMs: number;
  ports: PortRef[];
  platform: NodeJS.Platform;
}

/** The result once every member is gone: 'port-released' when the user's ports are free again. */
export async function goneResult(
  job: KillJob,
  signals: KillResult['signals'],
  how: string,
  elevated: boolean,
): Promise<KillResult> {
  const root = job.members[0] as ProcEntry;
  const held = await portsStillHeld(job.ports, job.platform);
  const released = job.ports.filter((p) => !held.includes(p));
  const who = label(root, root.pid) + treeNote(job.members.length);
  const message = goneMessage(who, how, released, held);
  if (elevated) return result('elevated-ok', root.pid, message, signals);
  const outcome = job.ports.length > 0 && held.length === 0 ? 'port-released' : 'exited';
  return result(outcome, root.pid, message, signals);
}

/**
 * The result when some members outlived the grace period (or SIGKILL, when stuck in the kernel).
 * A process that closed its listener and is still draining is reported as running, with the
 * port's real state: the user learns the port is free without being told the process is gone.
 */
export async function stillRunningResult(
  job: KillJob,
  survivors: readonly { pid: number }[],
  signals: KillResult['signals'],
  elevated: boolean,
): Promise<KillResult> {
  const root = job.members[0] as ProcEntry;
  const who =
    job.members.length > 1
      ? `${survivors.length} of ${job.members.length} processes in the tree of ${label(root, root.pid)} ${survivors.length === 1 ? 'is' : 'are'}`
      : `${label(root, root.pid)} is`;
  const asked = job.platform === 'win32' ? 'being asked to close' : 'SIGTERM';
  const after = job.force ? 'after being force-killed' : `${seconds(job.graceMs)} after ${asked}`;
  const next = job.force
    ? ' It may be stuck in the kernel (uninterruptible I/O); it will end when that finishes.'
    : ' Force kill ends it without letting it clean up.';
  const held = await portsStillHeld(job.ports, job.platform);
  const free = job.ports.filter((p) => !held.includes(p));
  const ports =
    (held.length > 0 ? ` Port ${portList(held)} is still in use.` : '') +
    (free.length > 0 ? ` Port ${portList(free)} is free already.` : '');
  return result('still-running', root.pid, `${who} still running ${after}.${ports}${next}`, signals, {
    canForce: true,
    canElevate: elevated,
  });
}
