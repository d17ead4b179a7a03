import type { ProcEntry } from './proc-table';
import { proxyRefusal } from './proxy-refusal';

/** Windows processes whose death stops the machine (or blue-screens it). Matched by name, lower-case, no .exe. */
const WINDOWS_CRITICAL = new Set(['system', 'csrss', 'wininit', 'smss', 'services', 'lsass', 'svchost']);

export interface GuardContext {
  platform: NodeJS.Platform;
  /** Our own PID (process.pid). */
  selfPid: number;
  /** Every ancestor of our own process (our parent, its parent, … up to init). */
  ancestors: readonly number[];
  /** PIDs the host says must live (Electron helpers, the web server). */
  protectedPids: readonly number[];
}

/**
 * Why a PID must not be signalled, or null when it may be. Checked for the target and, in a tree
 * kill, for every descendant: one protected member refuses the whole kill, since ending the rest
 * of a tree around a survivor is not what the user asked for.
 */
export function refusalReason(pid: unknown, entry: ProcEntry | null, ctx: GuardContext): string | null {
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid)) return 'the PID is not a whole number';
  if (pid <= 0) return `PID ${pid} is not a process (it would signal a whole process group)`;
  if (pid === 1) return 'PID 1 is the init process; ending it would take the whole system down';
  if (pid === ctx.selfPid) return `PID ${pid} is Portscope itself`;
  if (ctx.ancestors.includes(pid)) return `PID ${pid} started Portscope (ending it would end Portscope too)`;
  if (ctx.protectedPids.includes(pid))
    return `PID ${pid} is part of Portscope (a helper or the browser-mode server)`;
  if (ctx.platform === 'linux' && entry?.kernel)
    return `PID ${pid} is a kernel thread; signals cannot end it`;
  if (proxyRefusal(entry)) return proxyRefusal(entry);
  if (ctx.platform === 'win32' && entry && isWindowsCritical(entry.name))
    return `${entry.name} (PID ${pid}) is a critical Windows process; ending it would crash the system`;
  return null;
}

/** True for the critical Windows system processes, by name, whatever the case or '.exe' suffix. */
export function isWindowsCritical(name: string): boolean {
  return WINDOWS_CRITICAL.has(name.toLowerCase().replace(/\.exe$/, ''));
}
