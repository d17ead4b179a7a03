import type {
  FreePortPlan,
  KillResult,
  Owner,
  Protocol,
  SocketRow,
  SupervisorRef,
} from '../../../shared/model';
import { holdsPort, safeText, supervisorText } from '../../../shared/socket-rules';
import { type ProcFiles, procFiles } from './proc-read';

/** Parents that start things once and never restart them: a kill of their child is final. */
const NOT_RESPAWNERS = new Set([
  'bash',
  'sh',
  'dash',
  'zsh',
  'fish',
  'ksh',
  'tcsh',
  'csh',
  'login',
  'sshd',
  'su',
  'sudo',
  'tmux',
  'tmux: server',
  'screen',
  'SCREEN',
  'script',
  'npm',
  'npx',
  'pnpm',
  'yarn',
  'make',
  'timeout',
  'systemd',
  'init',
  'containerd-shim',
  'runc',
  'gnome-terminal-',
  'konsole',
  'xterm',
  'code',
  'tini',
]);

export interface RestartWatchDeps {
  collect: () => Promise<SocketRow[]>;
  /** How long a restart is waited for after the port went free (default 5 s). */
  windowMs?: number;
  stepMs?: number;
  proc?: ProcFiles;
  sleep?: (ms: number) => Promise<void>;
}

/** Who restarted the holders of a port, and the new holders. */
export interface Restart {
  by: SupervisorRef;
  holders: Owner[];
}

/**
 * After the holders of a port were ended: did their supervisor take the port again? A holder
 * that is not one of those ended (`ended`), run by the same systemd unit / supervisord program /
 * runit service, or a child of the same still-living parent (a plain respawning parent), is a
 * restart. Watched only when the ended holders had such a supervisor or parent, for at most
 * `windowMs`; null when nothing restarted them (or someone else took the port).
 */
export async function watchRestart(
  plan: FreePortPlan,
  results: readonly KillResult[],
  first: readonly SocketRow[],
  deps: RestartWatchDeps,
): Promise<Restart | null> {
  const proc = deps.proc ?? procFiles();
  const signalled = new Set(results.flatMap((r) => r.signals.map((s) => s.pid)));
  const ended = plan.roots.filter((r) => signalled.has(r.target.pid));
  const sups = ended.flatMap((r) => (r.process?.supervisor ? [r.process.supervisor] : []));
  const parents: { pid: number; ref: SupervisorRef }[] = [];
  for (const r of ended) {
    const ppid = r.process?.ppid ?? null;
    // Portscope itself restarts nothing (and its tests' servers are its own children).
    if (ppid === null || ppid <= 1 || ppid === process.pid || sups.length > 0) continue;
    const st = await proc.stat(ppid);
    if (st && !NOT_RESPAWNERS.has(st.name))
      parents.push({ pid: ppid, ref: { kind: 'parent', name: `${st.name} (PID ${ppid})` } });
  }
  if (sups.length === 0 && parents.length === 0) return null;

  const window = deps.windowMs ?? 5000;
  const step = deps.stepMs ?? 150;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const old = new Set(
    plan.roots.flatMap((r) => [
      `${r.target.pid}|${r.target.startId}`,
      ...r.children.map((c) => `${c.pid}|${c.startId}`),
    ]),
  );
  let rows = first;
  for (let waited = 0; ; waited += step) {
    const holders = holdersOf(rows, plan.port, plan.protocol).filter(
      (h) => !old.has(`${h.pid}|${h.process?.startId}`),
    );
    for (const h of holders) {
      const s = h.process?.supervisor;
      const bySup = s ? sups.find((x) => x.kind === s.kind && x.name === s.name) : undefined;
      if (bySup) return { by: bySup, holders };
      const byParent = parents.find((p) => p.pid === h.process?.ppid);
      if (byParent) return { by: byParent.ref, holders };
    }
    // Someone else holds it now: not a restart; the caller reports who.
    if (holders.length > 0) return null;
    if (waited >= window) return null;
    // A respawning parent forks again at once: a parent without a new child soon after the kill
    // restarts nothing, and the kill must not wait the whole window for it (most parents).
    if (sups.length === 0 && waited >= PARENT_FORK_MS && !(await newChild(parents, old, proc))) return null;
    await sleep(step);
    rows = await deps.collect();
  }
}

/** How long after a kill a respawning parent must have forked its new child. */
const PARENT_FORK_MS = 450;

async function newChild(
  parents: readonly { pid: number }[],
  old: ReadonlySet<string>,
  proc: ProcFiles,
): Promise<boolean> {
  for (const p of parents) {
    const kids = await proc.children(p.pid);
    if (kids.some((k) => ![...old].some((o) => o.startsWith(`${k}|`)))) return true;
  }
  return false;
}

function holdersOf(rows: readonly SocketRow[], port: number, protocol: Protocol | null): Owner[] {
  const out = new Map<number, Owner>();
  for (const r of rows)
    if (holdsPort(r, port, protocol)) for (const o of r.owners) if (!out.has(o.pid)) out.set(o.pid, o);
  return [...out.values()];
}

/** "Port 8000/tcp is taken again: restarted by nginx.service (nginx, PID 12). …" */
export function restartedText(what: string, restart: Restart): string {
  const who = restart.holders
    .slice(0, 2)
    .map((h) => `${safeText(h.process?.name || '?')}, PID ${h.pid}`)
    .join('; ');
  const stop = restart.by.kind === 'parent' ? 'End its parent' : 'Stop the service';
  return `${what.charAt(0).toUpperCase()}${what.slice(1)} was taken again: restarted by ${supervisorText(restart.by)} (${who}). ${stop} to free it.`;
}
